from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from topics.models import Phase


@pytest.mark.parametrize(
    ("offset_open", "offset_close", "expected"),
    [
        (timedelta(days=1), timedelta(days=20), Phase.UPCOMING),
        (timedelta(days=-1), timedelta(days=14), Phase.OPEN),
        (timedelta(days=-30), timedelta(days=-1), Phase.CLOSED),
    ],
)
def test_phase_follows_the_clock(make_consultation, offset_open, offset_close, expected):
    now = timezone.now()
    c = make_consultation(opens_at=now + offset_open, closes_at=now + offset_close)
    assert c.phase == expected


def test_phase_changes_at_the_exact_opening_and_closing_times(consultation):
    assert consultation.phase_at(consultation.opens_at - timedelta(seconds=1)) == Phase.UPCOMING
    assert consultation.phase_at(consultation.opens_at) == Phase.OPEN
    assert consultation.phase_at(consultation.closes_at - timedelta(seconds=1)) == Phase.OPEN
    assert consultation.phase_at(consultation.closes_at) == Phase.CLOSED


def test_unpublished_consultation_is_a_draft_whatever_the_dates(make_consultation):
    assert make_consultation("draft").phase == Phase.DRAFT


def test_period_shorter_than_fifteen_days_needs_a_reason(make_consultation):
    c = make_consultation()
    c.closes_at = c.opens_at + timedelta(days=7)
    with pytest.raises(ValidationError) as err:
        c.full_clean()
    assert "short_period_reason" in err.value.message_dict
    c.short_period_reason = "Court deadline"
    c.full_clean()


def test_closing_before_opening_is_refused(make_consultation):
    c = make_consultation()
    c.closes_at = c.opens_at - timedelta(hours=1)
    with pytest.raises(ValidationError) as err:
        c.full_clean()
    assert "closes_at" in err.value.message_dict


def test_agency_rich_text_is_cleaned_on_save(make_consultation):
    c = make_consultation(
        body='<p onclick="x()">Hi<script>alert(1)</script> <a href="javascript:alert(1)">x</a></p>'
    )
    assert "<script" not in c.body and "onclick" not in c.body and "javascript:" not in c.body
    assert "<p>" in c.body
