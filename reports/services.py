"""Writes on hearing reports: one function per operation, each audited.

Views check the permission (``reports.rules``) and call these; the services check the state
again (so a stale form cannot publish twice or edit a published report) and raise
``ServiceError`` with a message for the person when they refuse, writing nothing.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from accounts.services import audit_record
from analytics.models import AnalysisRun, RunStatus
from consult import signals
from consult.errors import ServiceError
from consult.models import User
from reports import generate
from reports.models import Decision, Issue, IssueKind, Report, ReportRef, ReportStatus
from topics.models import Consultation, Phase, Section
from topics.services import consultation_mark_reported

TEXT_MAX = 5000
TITLE_MAX = 300


def overall_summary(content: dict[str, Any], language: str) -> str:
    """A short overall summary of the hearing, in ``language``: who took part, the balance of
    positions and the biggest themes."""
    part1, part2 = content["part1"], content["part2"]
    people = part1["participants"]
    pos = people["positions"]
    with override(language):
        lines = [
            _(
                "%(people)s people took part: %(comments)s comments, %(replies)s replies and "
                "%(votes)s votes."
            )
            % {
                "people": f"{people['people']:,}",
                "comments": f"{people['comments']:,}",
                "replies": f"{people['replies']:,}",
                "votes": f"{people['votes']:,}",
            }
        ]
        if sum(pos.values()):
            lines.append(
                _(
                    "On the draft as a whole, %(support)s support it, %(oppose)s oppose it "
                    "and %(undecided)s are undecided."
                )
                % {k: f"{v:,}" for k, v in pos.items()}
            )
        themes = part2["themes"][:3]
        if themes:
            lines.append(
                _("The biggest themes: %(themes)s.")
                % {"themes": "; ".join(f"{t['label']} ({t['size']:,})" for t in themes)}
            )
    return " ".join(lines)


def theme_headline(theme: dict[str, Any], language: str) -> str:
    with override(language):
        return _headline(theme)


def _headline(theme: dict[str, Any]) -> str:
    labels = {
        "support": _("mostly support"),
        "oppose": _("mostly oppose"),
        "neutral": _("mostly neutral"),
        "suggestion": _("mostly suggestions"),
        "mixed": _("mixed positions"),
        "": _("no stated position"),
    }
    return _("%(n)s comments, %(mostly)s: %(label)s") % {
        "n": f"{theme['size']:,}",
        "mostly": str(labels.get(theme["mostly"], theme["mostly"])),
        "label": theme["label"],
    }


@transaction.atomic
def report_create(
    *,
    actor: User,
    consultation: Consultation,
    run: AnalysisRun,
    correction_note: str = "",
) -> Report:
    """Generate a draft report from a finished run of this consultation.

    When a published report exists, the new one is its correction: it links to it, carries
    its responses and edits over, and needs a note saying what it corrects."""
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if consultation.phase_at(timezone.now()) != Phase.CLOSED:
        raise ServiceError(_("A report can be drafted once the consultation has closed."))
    if run.consultation_id != consultation.pk or run.status != RunStatus.DONE:
        raise ServiceError(_("Choose a finished analysis of this consultation."), field="run")
    reports = Report.objects.filter(consultation=consultation)
    if reports.exclude(status=ReportStatus.PUBLISHED).exists():
        raise ServiceError(
            _("This consultation already has a report in preparation."), code="state"
        )
    previous = reports.filter(status=ReportStatus.PUBLISHED).order_by("-version").first()
    correction_note = (correction_note or "").strip()
    if previous is not None and not correction_note:
        raise ServiceError(
            _("Say what this new version corrects in the published report."),
            field="correction_note",
        )
    built = generate.build(consultation, run)
    language = consultation.language
    built.content["texts"]["overall"] = overall_summary(built.content, language)
    for theme in built.content["part2"]["themes"]:
        built.content["texts"][f"{theme['key']}-headline"] = theme_headline(theme, language)
    version = (reports.aggregate(v=Max("version"))["v"] or 0) + 1
    report = Report.objects.create(
        consultation=consultation,
        version=version,
        previous=previous,
        run=run,
        data_digest=built.digest,
        generated=built.content,
        correction_note=correction_note[:TEXT_MAX],
        created_by=actor,
    )
    ReportRef.objects.bulk_create(
        [ReportRef(report=report, key=k, comment_ids=v) for k, v in built.refs.items()],
        batch_size=500,
    )
    carried = {}
    if previous is not None:
        report.edits = {k: v for k, v in previous.edits.items() if k in built.content["texts"]}
        report.save(update_fields=["edits"])
        carried = {(i.kind, i.ref): i for i in previous.issues.all()}
    issues = []
    for n, item in enumerate(built.issues):
        old = carried.pop((item["kind"], item["ref"]), None)
        issues.append(_issue_from(report, n, item, old))
    for n, old in enumerate(carried.values(), start=len(issues)):
        if old.kind == IssueKind.MANUAL:
            issues.append(
                _issue_from(report, n, {"kind": old.kind, "ref": "", "title": old.title}, old)
            )
    Issue.objects.bulk_create(issues)
    audit_record(
        actor=actor,
        action="report.create",
        obj=report,
        after={
            "version": version,
            "run": run.pk,
            "digest": built.digest,
            "previous": previous.pk if previous else None,
        },
        reason=correction_note,
    )
    return report


def _issue_from(report: Report, n: int, item: dict[str, Any], old: Issue | None) -> Issue:
    issue = Issue(
        report=report,
        position=n,
        kind=item["kind"],
        ref=item.get("ref", ""),
        title=item["title"][:TITLE_MAX],
        refs_key=item.get("refs_key", ""),
    )
    if old is not None:
        issue.decision, issue.reasons = old.decision, old.reasons
        issue.change_section_id, issue.change = old.change_section_id, old.change
    return issue


def _editable(report: Report) -> Report:
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.status != ReportStatus.DRAFT:
        raise ServiceError(
            _("Only a draft can be changed. A published report is corrected by a new version."),
            code="state",
        )
    return report


@transaction.atomic
def report_edit_text(*, actor: User, report: Report, key: str, text: str) -> Report:
    """Replace a generated text (the overall summary, a theme's headline or summary). The
    generated version is kept; an empty text restores it."""
    report = _editable(report)
    if key not in report.generated.get("texts", {}):
        raise ServiceError(_("There is no such text in this report."), field="key")
    text = (text or "").strip()
    if len(text) > TEXT_MAX:
        raise ServiceError(_("At most %(n)s characters.") % {"n": TEXT_MAX}, field="text")
    before = report.text(key)
    if not text or text == report.generated["texts"][key]:
        report.edits.pop(key, None)
    else:
        report.edits[key] = text
    report.save(update_fields=["edits"])
    audit_record(
        actor=actor,
        action="report.edit_text",
        obj=report,
        before={key: before},
        after={key: report.text(key)},
    )
    return report


@transaction.atomic
def issue_respond(
    *,
    actor: User,
    issue: Issue,
    decision: str,
    reasons: str,
    change_section: Section | None = None,
    change: str = "",
) -> Issue:
    """The agency's response to one issue: a decision, its reasons, and for an accepted
    issue which section changes and how."""
    _editable(issue.report)
    if decision not in Decision.values:
        raise ServiceError(_("Choose a decision."), field="decision")
    reasons = (reasons or "").strip()
    change = (change or "").strip()
    if not reasons:
        raise ServiceError(_("Give the agency's reasons."), field="reasons")
    if len(reasons) > TEXT_MAX or len(change) > TEXT_MAX:
        raise ServiceError(_("At most %(n)s characters.") % {"n": TEXT_MAX}, field="reasons")
    if (
        change_section is not None
        and change_section.consultation_id != issue.report.consultation_id
    ):
        raise ServiceError(_("Choose a section of this draft."), field="change_section")
    if decision in (Decision.ACCEPTED, Decision.PARTLY) and not change:
        raise ServiceError(_("Say how the draft changes for an accepted issue."), field="change")
    before = {"decision": issue.decision, "reasons": issue.reasons, "change": issue.change}
    issue.decision, issue.reasons = decision, reasons
    issue.change_section = change_section
    issue.change = change
    issue.save()
    audit_record(
        actor=actor,
        action="report.respond",
        obj=issue.report,
        before=before,
        after={"issue": issue.pk, "decision": decision, "reasons": reasons, "change": change},
    )
    return issue


@transaction.atomic
def issue_add(*, actor: User, report: Report, title: str) -> Issue:
    """An issue the agency adds by hand (one the analysis did not single out)."""
    report = _editable(report)
    title = (title or "").strip()
    if not title or len(title) > TITLE_MAX:
        raise ServiceError(
            _("Name the issue in at most %(n)s characters.") % {"n": TITLE_MAX}, field="title"
        )
    last = report.issues.aggregate(p=Max("position"))["p"]
    issue = Issue.objects.create(
        report=report, position=(last or 0) + 1, kind=IssueKind.MANUAL, title=title
    )
    audit_record(actor=actor, action="report.add_issue", obj=report, after={"title": title})
    return issue


def _unanswered(report: Report) -> int:
    return sum(1 for i in report.issues.all() if not i.answered)


@transaction.atomic
def report_submit(*, actor: User, report: Report) -> Report:
    """Draft -> in review (every issue must have a response)."""
    report = _editable(report)
    missing = _unanswered(report)
    if missing:
        raise ServiceError(
            _("%(n)s issue(s) still have no response.") % {"n": missing}, code="unanswered"
        )
    report.status = ReportStatus.REVIEW
    report.submitted_by = actor
    report.submitted_at = timezone.now()
    report.save(update_fields=["status", "submitted_by", "submitted_at"])
    audit_record(actor=actor, action="report.submit", obj=report)
    return report


@transaction.atomic
def report_return(*, actor: User, report: Report, reason: str) -> Report:
    """In review -> draft, with the reviewer's reason."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.status != ReportStatus.REVIEW:
        raise ServiceError(_("Only a report in review can be sent back."), code="state")
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("Say what needs changing."), field="reason")
    report.status = ReportStatus.DRAFT
    report.save(update_fields=["status"])
    audit_record(actor=actor, action="report.return", obj=report, reason=reason[:TEXT_MAX])
    return report


@transaction.atomic
def report_publish(*, actor: User, report: Report) -> Report:
    """In review -> published, approved by someone other than who drafted or submitted it.
    The report is frozen from then on; the consultation shows "result reported"."""
    report = Report.objects.select_for_update().select_related("consultation").get(pk=report.pk)
    if report.status != ReportStatus.REVIEW:
        raise ServiceError(_("Only a report in review can be published."), code="state")
    if actor.pk in (report.created_by_id, report.submitted_by_id):
        raise ServiceError(
            _("Another editor of the agency or an admin must approve the publication."),
            code="second_person",
        )
    if _unanswered(report):
        raise ServiceError(_("Every issue needs a response before publication."))
    now = timezone.now()
    report.status = ReportStatus.PUBLISHED
    report.published_by = actor
    report.published_at = now
    report.save(update_fields=["status", "published_by", "published_at"])
    consultation_mark_reported(consultation=report.consultation, when=now)
    audit_record(
        actor=actor,
        action="report.publish",
        obj=report,
        after={"version": report.version, "digest": report.data_digest},
    )
    signals.report_published.send(
        sender=Report, report=report, consultation=report.consultation, actor=actor
    )
    return report
