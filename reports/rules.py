"""Who may do what with hearing reports: the one place these decisions are made.

An editor of the consultation's agency (or an admin), with a second factor, drafts a report
once the consultation has closed, edits it while it is a draft and sends it for review; a
*different* editor of the agency or an admin approves its publication. Agency staff (editors,
analysts) read drafts; everybody reads published reports. Permissions take a ``Report``, except
``reports.create_report`` and ``reports.view_drafts``, which take the consultation.
"""

from __future__ import annotations

import rules
from django.utils import timezone

from accounts.rules import has_mfa
from topics.models import Phase
from topics.rules import is_admin, is_agency_analyst, is_agency_editor


@rules.predicate
def is_closed(user, consultation) -> bool:
    return consultation is not None and consultation.phase_at(timezone.now()) == Phase.CLOSED


@rules.predicate
def edits_its_agency(user, report) -> bool:
    return report is not None and (
        is_agency_editor.test(user, report.consultation) or is_admin.test(user)
    )


@rules.predicate
def reads_its_agency(user, report) -> bool:
    return report is not None and (
        is_agency_editor.test(user, report.consultation)
        or is_agency_analyst.test(user, report.consultation)
        or is_admin.test(user)
    )


@rules.predicate
def is_draft(user, report) -> bool:
    return report is not None and report.status == "draft"


@rules.predicate
def is_in_review(user, report) -> bool:
    return report is not None and report.status == "review"


@rules.predicate
def is_published(user, report) -> bool:
    return report is not None and report.status == "published"


@rules.predicate
def wrote_it(user, report) -> bool:
    """The person who drafted the report or sent it for review: they cannot approve it."""
    return (
        report is not None
        and user.is_authenticated
        and user.pk
        in (
            report.created_by_id,
            report.submitted_by_id,
        )
    )


editor = (is_agency_editor | is_admin) & has_mfa
rules.add_perm("reports.create_report", editor & is_closed)  # object: the consultation
rules.add_perm(
    "reports.view_drafts", (is_agency_editor | is_agency_analyst | is_admin) & has_mfa
)  # object: the consultation
rules.add_perm("reports.view_report", is_published | (reads_its_agency & has_mfa))
rules.add_perm("reports.edit_report", edits_its_agency & has_mfa & is_draft)
rules.add_perm("reports.submit_report", edits_its_agency & has_mfa & is_draft)
rules.add_perm("reports.return_report", edits_its_agency & has_mfa & is_in_review)
rules.add_perm("reports.publish_report", edits_its_agency & has_mfa & is_in_review & ~wrote_it)
