"""Hearing report pages: the public report (HTML, PDF, DOCX, drill-down) and the agency's
workspace (generate, edit, respond, submit, approve). Views parse, check permission and call
a service; nothing here writes by itself."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from consult.errors import ServiceError
from reports import documents, selectors, services
from reports.models import Decision, Issue, Report, ReportStatus
from topics.models import Consultation, Section

DRILL_PAGE = 50


def _consultation(slug: str) -> Consultation:
    return get_object_or_404(Consultation.objects.select_related("agency"), slug=slug)


def _visible(request: HttpRequest, report: Report | None) -> Report:
    if report is None or not request.user.has_perm("reports.view_report", report):
        raise Http404
    return report


def _context(request: HttpRequest, report: Report) -> dict:
    # read only when the page is rendered (a published report's page is a cached fragment)
    view = SimpleLazyObject(lambda: selectors.report_view(report))
    return {
        "v": view,
        "report": report,
        "consultation": report.consultation,
        "versions": selectors.published_versions(report.consultation),
        "stances": selectors.stance_labels(),
        "decision_labels": dict(Decision.choices),
        "checkpoint": SimpleLazyObject(lambda: selectors.checkpoint_covering(report)),
        "cached": report.is_frozen,
        "base_url": report.get_absolute_url(),
    }


def public(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = _consultation(slug)
    if not request.user.has_perm("topics.view_consultation", consultation):
        raise Http404
    report = selectors.latest_published(consultation)
    if report is None:
        return render(
            request,
            "reports/none.html",
            {"consultation": consultation, "phase": consultation.phase},
            status=404,
        )
    return render(request, "reports/report.html", _context(request, report))


def version(request: HttpRequest, slug: str, version: int) -> HttpResponse:
    consultation = _consultation(slug)
    report = _visible(request, selectors.version_of(consultation, version))
    return render(request, "reports/report.html", _context(request, report))


def drill(request: HttpRequest, slug: str, version: int, key: str) -> HttpResponse:
    consultation = _consultation(slug)
    report = _visible(request, selectors.version_of(consultation, version))
    ids = selectors.ref_ids(report, key)
    if ids is None:
        raise Http404
    page = Paginator(selectors.ref_comments(report, ids), DRILL_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "reports/drill.html",
        {"report": report, "consultation": consultation, "page": page, "key": key, "n": len(ids)},
    )


def pdf(request: HttpRequest, slug: str, version: int) -> HttpResponse:
    consultation = _consultation(slug)
    report = _visible(request, selectors.version_of(consultation, version))
    data = documents.report_pdf(selectors.report_view(report), request.LANGUAGE_CODE)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="{consultation.slug}-report-v{report.version}.pdf"'
    )
    return response


def docx(request: HttpRequest, slug: str, version: int) -> HttpResponse:
    consultation = _consultation(slug)
    report = _visible(request, selectors.version_of(consultation, version))
    data = documents.report_docx(selectors.report_view(report), request.LANGUAGE_CODE)
    response = HttpResponse(
        data,
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{consultation.slug}-report-v{report.version}.docx"'
    )
    return response


# --- the agency's workspace -------------------------------------------------------------------


def _staff(request: HttpRequest, perm: str, obj) -> HttpResponse | None:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied
    return None


def ws_list(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = _consultation(slug)
    if (refused := _staff(request, "reports.view_drafts", consultation)) is not None:
        return refused
    can_create = request.user.has_perm("reports.create_report", consultation)
    if request.method == "POST":
        if not can_create:
            raise PermissionDenied
        run = selectors.finished_runs(consultation)
        chosen = next((r for r in run if str(r.pk) == request.POST.get("run", "")), None)
        if chosen is None:
            messages.error(request, _("Choose a finished analysis of this consultation."))
            return redirect("reports:ws_list", slug=slug)
        try:
            report = services.report_create(
                actor=request.user,
                consultation=consultation,
                run=chosen,
                correction_note=request.POST.get("correction_note", ""),
            )
        except ServiceError as e:
            messages.error(request, e.message)
            return redirect("reports:ws_list", slug=slug)
        messages.success(request, _("The draft report was generated."))
        return redirect("reports:ws_edit", slug=slug, version=report.version)
    reports = selectors.all_versions(consultation)
    return render(
        request,
        "reports/ws_list.html",
        {
            "consultation": consultation,
            "reports": reports,
            "runs": selectors.finished_runs(consultation),
            "can_create": can_create,
            "has_published": any(r.status == ReportStatus.PUBLISHED for r in reports),
        },
    )


def _ws_report(request: HttpRequest, slug: str, version: int) -> Report:
    consultation = _consultation(slug)
    report = selectors.version_of(consultation, version)
    if report is None:
        raise Http404
    return report


def ws_edit(request: HttpRequest, slug: str, version: int) -> HttpResponse:
    report = _ws_report(request, slug, version)
    if (refused := _staff(request, "reports.view_drafts", report.consultation)) is not None:
        return refused
    user = request.user
    context = _context(request, report)
    context["cached"] = False
    context.update(
        can_edit=user.has_perm("reports.edit_report", report),
        can_submit=user.has_perm("reports.submit_report", report),
        can_return=user.has_perm("reports.return_report", report),
        can_publish=user.has_perm("reports.publish_report", report),
        decisions=Decision.choices,
        sections=list(report.consultation.sections.order_by("position", "id")),
        unanswered=sum(1 for i in context["v"].issues if not i.answered),
    )
    return render(request, "reports/ws_edit.html", context)


def _act(request: HttpRequest, slug: str, version: int, perm: str, action) -> HttpResponse:
    report = _ws_report(request, slug, version)
    if (refused := _staff(request, perm, report)) is not None:
        return refused
    try:
        done = action(report)
    except ServiceError as e:
        messages.error(request, e.message)
    else:
        if done:
            messages.success(request, done)
    anchor = request.POST.get("anchor", "")
    url = redirect("reports:ws_edit", slug=slug, version=version).url
    return redirect(f"{url}#{anchor}" if anchor.replace("-", "").isalnum() else url)


@require_POST
def ws_text(request: HttpRequest, slug: str, version: int) -> HttpResponse:
    def action(report: Report) -> str:
        services.report_edit_text(
            actor=request.user,
            report=report,
            key=request.POST.get("key", ""),
            text=request.POST.get("text", ""),
        )
        return _("Saved.")

    return _act(request, slug, version, "reports.edit_report", action)


@require_POST
def ws_respond(request: HttpRequest, slug: str, version: int, issue_id: int) -> HttpResponse:
    def action(report: Report) -> str:
        issue = get_object_or_404(Issue, pk=issue_id, report=report)
        section = None
        if request.POST.get("change_section"):
            section = Section.objects.filter(
                pk=request.POST["change_section"]
                if request.POST["change_section"].isdigit()
                else 0,
                consultation_id=report.consultation_id,
            ).first()
            if section is None:
                raise ServiceError(_("Choose a section of this draft."))
        services.issue_respond(
            actor=request.user,
            issue=issue,
            decision=request.POST.get("decision", ""),
            reasons=request.POST.get("reasons", ""),
            change_section=section,
            change=request.POST.get("change", ""),
        )
        return _("Response saved.")

    return _act(request, slug, version, "reports.edit_report", action)


@require_POST
def ws_add_issue(request: HttpRequest, slug: str, version: int) -> HttpResponse:
    def action(report: Report) -> str:
        services.issue_add(actor=request.user, report=report, title=request.POST.get("title", ""))
        return _("Issue added.")

    return _act(request, slug, version, "reports.edit_report", action)


@require_POST
def ws_submit(request: HttpRequest, slug: str, version: int) -> HttpResponse:
    def action(report: Report) -> str:
        services.report_submit(actor=request.user, report=report)
        return _("Sent for review. Another editor or an admin approves the publication.")

    return _act(request, slug, version, "reports.submit_report", action)


@require_POST
def ws_return(request: HttpRequest, slug: str, version: int) -> HttpResponse:
    def action(report: Report) -> str:
        services.report_return(
            actor=request.user, report=report, reason=request.POST.get("reason", "")
        )
        return _("Sent back to draft.")

    return _act(request, slug, version, "reports.return_report", action)


@require_POST
def ws_publish(request: HttpRequest, slug: str, version: int) -> HttpResponse:
    def action(report: Report) -> str:
        services.report_publish(actor=request.user, report=report)
        return _("The report is published.")

    return _act(request, slug, version, "reports.publish_report", action)
