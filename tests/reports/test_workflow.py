"""The report's workflow and who may do each step (a matrix over roles), versions, audit rows,
the public states of a consultation, and the event sent on publication."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from accounts.models import AuditEntry
from consult import signals
from consult.errors import ServiceError
from reports import selectors, services
from reports.models import Report, ReportStatus
from tests.reports.conftest import answer_all
from topics.models import Consultation, PublicState

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "citizen", "editor", "editor2", "other_editor", "analyst", "admin"]


@pytest.fixture
def people(make_user, make_staff, editor, editor2, analyst, admin_user):
    from topics.models import Agency

    other = Agency.objects.create(slug="other", name_th="อื่น", name_en="Other")
    return {
        "anonymous": None,
        "citizen": make_user("citizen"),
        "editor": editor,
        "editor2": editor2,
        "other_editor": make_staff("outsider", "editor", agency_obj=other),
        "analyst": analyst,
        "admin": admin_user,
    }


def _client(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _post_ok(response) -> bool:
    return response.status_code == 302 and "/accounts/login" not in response["Location"]


def test_only_the_agencys_editors_draft_a_report(people, hearing, run):
    url = reverse("reports:ws_list", kwargs={"slug": hearing.slug})
    allowed = {"editor", "editor2", "admin"}
    wrong = []
    for role, user in people.items():
        before = Report.objects.count()
        response = _client(user).post(url, {"run": run.pk})
        created = Report.objects.count() > before
        if created != (role in allowed):
            wrong.append((role, response.status_code))
        if created:
            Report.objects.all().delete()
    assert not wrong, wrong


def test_a_second_person_publishes(people, hearing, run, editor):
    report = services.report_create(actor=editor, consultation=hearing, run=run)
    answer_all(report, editor)
    services.report_submit(actor=editor, report=report)
    url = reverse("reports:ws_publish", kwargs={"slug": hearing.slug, "version": 1})
    allowed = {"editor2", "admin"}
    wrong = []
    for role in ["anonymous", "citizen", "other_editor", "analyst", "editor", "editor2"]:
        response = _client(people[role]).post(url)
        report.refresh_from_db()
        published = report.status == ReportStatus.PUBLISHED
        if published != (role in allowed):
            wrong.append((role, response.status_code))
    assert not wrong, wrong
    assert report.published_by == people["editor2"]


def test_the_author_cannot_publish_through_the_service_either(hearing, run, editor):
    report = services.report_create(actor=editor, consultation=hearing, run=run)
    answer_all(report, editor)
    services.report_submit(actor=editor, report=report)
    with pytest.raises(ServiceError):
        services.report_publish(actor=editor, report=report)
    report.refresh_from_db()
    assert report.status == ReportStatus.REVIEW


def test_drafts_are_visible_to_agency_staff_only(people, hearing, run, editor):
    services.report_create(actor=editor, consultation=hearing, run=run)
    url = reverse("reports:version", kwargs={"slug": hearing.slug, "version": 1})
    seen = {role for role, user in people.items() if _client(user).get(url).status_code == 200}
    assert seen == {"editor", "editor2", "analyst", "admin"}
    assert (
        _client(None).get(reverse("reports:public", kwargs={"slug": hearing.slug})).status_code
        == 404
    )


def test_no_report_before_the_consultation_closes(make_consultation, editor):
    from analytics.services import analyze_now

    open_one = make_consultation("open")
    run = analyze_now(consultation=open_one)
    with pytest.raises(ServiceError):
        services.report_create(actor=editor, consultation=open_one, run=run)
    assert not Report.objects.exists()


def test_an_unanswered_issue_blocks_review_and_publication(hearing, run, editor):
    report = services.report_create(actor=editor, consultation=hearing, run=run)
    assert report.issues.count() >= 2
    with pytest.raises(ServiceError):
        services.report_submit(actor=editor, report=report)
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


def test_an_accepted_issue_says_how_the_draft_changes(hearing, run, editor):
    report = services.report_create(actor=editor, consultation=hearing, run=run)
    issue = report.issues.first()
    with pytest.raises(ServiceError):
        services.issue_respond(actor=editor, issue=issue, decision="accepted", reasons="ดี")
    issue.refresh_from_db()
    assert issue.decision == ""


def _published(hearing, run, editor, editor2) -> Report:
    report = services.report_create(actor=editor, consultation=hearing, run=run)
    services.report_edit_text(actor=editor, report=report, key="overall", text="สรุปที่แก้แล้ว")
    answer_all(report, editor, decision="accepted")
    services.report_submit(actor=editor, report=report)
    return services.report_publish(actor=editor2, report=report)


def test_a_published_report_is_frozen(hearing, run, editor, editor2):
    report = _published(hearing, run, editor, editor2)
    issue = report.issues.first()
    with pytest.raises(ServiceError):
        services.report_edit_text(actor=editor, report=report, key="overall", text="อื่น")
    with pytest.raises(ServiceError):
        services.issue_respond(actor=editor, issue=issue, decision="noted", reasons="x")
    with pytest.raises(ServiceError):
        services.issue_add(actor=editor, report=report, title="เรื่องใหม่")
    report.refresh_from_db()
    assert report.text("overall") == "สรุปที่แก้แล้ว"
    # and through the page: the edit form is refused
    client = _client(editor)
    url = reverse("reports:ws_text", kwargs={"slug": hearing.slug, "version": 1})
    assert client.post(url, {"key": "overall", "text": "อื่น"}).status_code == 403


def test_a_correction_is_a_new_version_linking_to_the_old_one(hearing, run, editor, editor2):
    first = _published(hearing, run, editor, editor2)
    with pytest.raises(ServiceError):  # a correction says what it corrects
        services.report_create(actor=editor, consultation=hearing, run=run)
    second = services.report_create(
        actor=editor, consultation=hearing, run=run, correction_note="แก้ตัวเลข"
    )
    assert second.version == 2 and second.previous == first
    assert second.text("overall") == "สรุปที่แก้แล้ว"  # the agency's edits carry over
    assert all(i.answered for i in second.issues.all())  # and its responses
    services.report_submit(actor=editor, report=second)
    services.report_publish(actor=editor2, report=second)
    assert [r.version for r in selectors.published_versions(hearing)] == [2, 1]
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("reports:public", kwargs={"slug": hearing.slug})).content.decode()
    assert "แก้ตัวเลข" in page
    old = client.get(first.get_absolute_url())
    assert old.status_code == 200
    assert "A corrected version of this report exists." in old.content.decode()


def test_every_step_is_in_the_audit_log(hearing, run, editor, editor2):
    report = _published(hearing, run, editor, editor2)
    actions = list(
        AuditEntry.objects.filter(object_type="reports.report", object_id=str(report.pk))
        .order_by("id")
        .values_list("action", "actor_id")
    )
    names = [a for a, _ in actions]
    assert names[0] == "report.create" and names[-1] == "report.publish"
    assert "report.edit_text" in names and "report.submit" in names
    assert names.count("report.respond") == report.issues.count()
    assert actions[-1][1] == editor2.pk


def test_publishing_marks_the_consultation_and_sends_the_event_after_commit(
    hearing, run, editor, editor2, django_capture_on_commit_callbacks, monkeypatch
):
    received = []

    def receiver(sender, **kwargs):
        received.append(kwargs)

    sent = []
    monkeypatch.setattr("comments.live._dispatch", lambda cid, msg: sent.append((cid, msg)))
    signals.report_published.connect(receiver)
    try:
        assert hearing.public_state == PublicState.CLOSED
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            report = _published(hearing, run, editor, editor2)
    finally:
        signals.report_published.disconnect(receiver)
    assert len(received) == 1 and received[0]["report"] == report
    assert sent == []  # nothing live before the commit
    for callback in callbacks:
        callback()
    # Open pages are told (comments' subscriber numbers it with the consultation's events).
    assert [(cid, msg["op"], msg["what"]) for cid, msg in sent] == [
        (hearing.pk, "changed", "report")
    ]
    hearing.refresh_from_db()
    assert hearing.public_state == PublicState.REPORTED
    assert report.citation == f"{hearing.slug} run {run.pk}"
    assert len(report.data_digest) == 64


def test_the_list_filters_on_the_public_states(hearing, run, editor, editor2, make_consultation):
    upcoming = make_consultation("upcoming")
    open_one = make_consultation("open")
    closed = make_consultation("closed")
    _published(hearing, run, editor, editor2)
    client = Client()

    def listed(status: str) -> set[str]:
        page = client.get(reverse("topics:list"), {"status": status}).content.decode()
        return {c.slug for c in Consultation.objects.all() if f'/c/{c.slug}/"' in page}

    assert listed("upcoming") == {upcoming.slug}
    assert listed("open") == {open_one.slug}
    assert listed("closed") == {closed.slug}
    assert listed("reported") == {hearing.slug}
    detail = client.get(hearing.get_absolute_url()).content.decode()
    assert f"/c/{hearing.slug}/report/" in detail


def test_bad_input_changes_nothing(hearing, run, editor):
    report = services.report_create(actor=editor, consultation=hearing, run=run)
    client = _client(editor)
    base = {"slug": hearing.slug, "version": 1}
    issue = report.issues.first()
    responses = [
        client.post(reverse("reports:ws_text", kwargs=base), {"key": "nope", "text": "x"}),
        client.post(
            reverse("reports:ws_text", kwargs=base), {"key": "overall", "text": "x" * 6000}
        ),
        client.post(
            reverse("reports:ws_respond", kwargs={**base, "issue_id": issue.pk}),
            {"decision": "maybe", "reasons": "x"},
        ),
        client.post(
            reverse("reports:ws_respond", kwargs={**base, "issue_id": issue.pk}),
            {"decision": "noted", "reasons": "x", "change_section": "abc"},
        ),
        client.post(reverse("reports:ws_add_issue", kwargs=base), {"title": ""}),
        client.post(reverse("reports:ws_list", kwargs={"slug": hearing.slug}), {"run": "999"}),
    ]
    assert all(r.status_code == 302 for r in responses)
    report.refresh_from_db()
    issue.refresh_from_db()
    assert report.edits == {} and issue.decision == "" and Report.objects.count() == 1
    page = client.get(reverse("reports:ws_edit", kwargs=base))
    assert page.status_code == 200


def test_published_report_cites_the_checkpoint_of_the_public_record_that_covers_it(
    hearing, run, editor, editor2, settings, client
):
    import base64

    from records.models import Entry
    from records.services import checkpoint_sign

    settings.RECORDS_SIGNING_KEY = base64.b64encode(bytes(range(1, 33))).decode()
    report = _published(hearing, run, editor, editor2)
    assert selectors.checkpoint_covering(report) is None  # nothing signed yet
    checkpoint = checkpoint_sign()
    published = Entry.objects.filter(consultation_id=hearing.pk).latest("index")
    covering = selectors.checkpoint_covering(report)
    assert covering == checkpoint and covering.size > published.index
    page = client.get(report.get_absolute_url()).content.decode()
    assert f'href="/records/checkpoint/{checkpoint.size}"' in page


def test_publishing_tells_the_consultations_followers_once(
    hearing, run, editor, editor2, make_user, django_capture_on_commit_callbacks, settings
):
    from notifications import services as notify

    # Tasks run when enqueued (after commit), as a worker would run them.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    from notifications.models import Kind, Notice

    reader = make_user("reader")
    notify.follow_set(user=reader, target="consultation", key=str(hearing.pk), on=True)
    notify.follow_set(user=editor2, target="consultation", key=str(hearing.pk), on=True)
    with django_capture_on_commit_callbacks(execute=True):
        _published(hearing, run, editor, editor2)
    assert list(Notice.objects.filter(user=reader).values_list("kind", flat=True)) == [Kind.REPORT]
    # The editor who published it is not told about their own action.
    assert not Notice.objects.filter(user=editor2, kind=Kind.REPORT).exists()
