"""Agency workspace: editors create, preview, schedule, publish, extend and close their
agency's consultations; analysts see them. Views parse, check a permission from topics/rules.py
and call topics/services.py, which writes the audit log."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from consult.errors import ServiceError
from consult.security import client_ip
from consult.streaming import streaming_response
from topics import exports, selectors, services
from topics.forms import (
    CloseForm,
    ConsultationForm,
    ExtendForm,
    PublishForm,
    QuestionFormSet,
    SectionFormSet,
)
from topics.models import Agency, Consultation, Membership, Phase, Role


def _require(request: HttpRequest, perm: str, obj) -> HttpResponse | None:
    if isinstance(obj, Consultation) and not request.user.has_perm("topics.view_consultation", obj):
        # a draft the person may not see answers as if it did not exist: the status code
        # must not tell which draft slugs exist
        raise Http404(_("No such consultation."))
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied
    return None


def _consultation(slug: str) -> Consultation:
    return get_object_or_404(Consultation.objects.select_related("agency"), slug=slug)


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    user = request.user
    if user.is_superuser:
        agencies = list(Agency.objects.all())
    else:
        ids = Membership.objects.filter(
            user=user, role__in=[Role.EDITOR, Role.ANALYST], agency__isnull=False
        ).values_list("agency_id", flat=True)
        agencies = list(Agency.objects.filter(pk__in=ids))
    agencies = [a for a in agencies if user.has_perm("topics.use_workspace", a)]
    if not agencies:
        raise PermissionDenied
    if len(agencies) == 1:
        return redirect("topics:ws_agency", slug=agencies[0].slug)
    return render(request, "topics/workspace/home.html", {"agencies": agencies})


def agency_page(request: HttpRequest, slug: str) -> HttpResponse:
    agency = get_object_or_404(Agency, slug=slug)
    if (refused := _require(request, "topics.use_workspace", agency)) is not None:
        return refused
    consultations = agency.consultations.order_by("-created_at", "-id")
    return render(
        request,
        "topics/workspace/agency.html",
        {
            "agency": agency,
            "consultations": consultations,
            "can_create": request.user.has_perm("topics.create_consultation", agency),
            "can_analyse": request.user.has_perm("topics.view_analysis", agency),
        },
    )


def _parts(request: HttpRequest, consultation: Consultation | None):
    if request.method == "POST":
        return (
            SectionFormSet(request.POST, prefix="s"),
            QuestionFormSet(request.POST, prefix="q"),
        )
    sections = (
        [
            {"number": s.number, "heading": s.heading, "text": s.text}
            for s in selectors.sections_of(consultation)
        ]
        if consultation
        else []
    )
    questions = (
        [
            {"kind": q.kind, "prompt": q.prompt, "choices": q.choices}
            for q in consultation.questions.order_by("position", "id")
        ]
        if consultation
        else []
    )
    return (
        SectionFormSet(initial=sections, prefix="s"),
        QuestionFormSet(initial=questions, prefix="q"),
    )


def _edit(request: HttpRequest, agency: Agency, consultation: Consultation | None) -> HttpResponse:
    form = ConsultationForm(request.POST or None, instance=consultation)
    section_forms, question_forms = _parts(request, consultation)
    if request.method == "POST" and all(
        f.is_valid() for f in (form, section_forms, question_forms)
    ):
        sections = [f.cleaned_data for f in section_forms if any(f.cleaned_data.values())]
        questions = [f.cleaned_data for f in question_forms if any(f.cleaned_data.values())]
        slug = form.cleaned_data["slug"] or (
            consultation.slug
            if consultation is not None
            else selectors.free_slug(form.cleaned_data.get("title", ""), agency)
        )
        form.cleaned_data["slug"] = slug
        taken = Consultation.objects.filter(slug=slug)
        if consultation is not None:
            taken = taken.exclude(pk=consultation.pk)
        if taken.exists():
            form.add_error("slug", _("This web address is already used by another consultation."))
        else:
            try:
                saved = services.consultation_save(
                    actor=request.user,
                    agency=agency,
                    consultation=consultation,
                    fields=form.cleaned_data,
                    sections=sections,
                    questions=questions,
                    ip_address=client_ip(request),
                )
            except ServiceError as exc:
                target = exc.field if exc.field in form.fields else None
                form.add_error(target, exc.message)
            else:
                messages.success(request, _("Saved. Preview it before you publish."))
                return redirect("topics:ws_manage", slug=saved.slug)
    return render(
        request,
        "topics/workspace/edit.html",
        {
            "agency": agency,
            "consultation": consultation,
            "form": form,
            "section_forms": section_forms,
            "question_forms": question_forms,
            "error_summary": form.error_summary(section_forms, question_forms)
            if request.method == "POST"
            else [],
        },
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
def create(request: HttpRequest, slug: str) -> HttpResponse:
    agency = get_object_or_404(Agency, slug=slug)
    if (refused := _require(request, "topics.create_consultation", agency)) is not None:
        return refused
    return _edit(request, agency, None)


@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = _consultation(slug)
    if (refused := _require(request, "topics.edit_draft", consultation)) is not None:
        return refused
    return _edit(request, consultation.agency, consultation)


def manage(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = _consultation(slug)
    if (refused := _require(request, "topics.use_workspace", consultation)) is not None:
        return refused
    user = request.user
    can_analyse = user.has_perm("topics.view_analysis", consultation)
    return render(
        request,
        "topics/workspace/manage.html",
        {
            "answer_results": selectors.answer_results(consultation) if can_analyse else None,
            "consultation": consultation,
            "phase": consultation.phase,
            "sections": selectors.sections_of(consultation),
            "questions": consultation.questions.order_by("position", "id"),
            "can_edit": user.has_perm("topics.edit_draft", consultation),
            "can_publish": user.has_perm("topics.publish_consultation", consultation),
            "can_extend": user.has_perm("topics.extend_consultation", consultation),
            "can_close": user.has_perm("topics.close_consultation", consultation),
            "can_analyse": can_analyse,
            "can_enter_submissions": user.has_perm("topics.enter_submissions", consultation),
            "publish_form": PublishForm(),
            "extend_form": ExtendForm(),
            "close_form": CloseForm(),
            "scheduled": consultation.phase == Phase.DRAFT and consultation.published_at,
        },
    )


def answers_csv(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = _consultation(slug)
    if (refused := _require(request, "topics.view_analysis", consultation)) is not None:
        return refused
    response = streaming_response(
        request, exports.answers_csv(consultation), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="answers-{consultation.slug}.csv"'
    response["Cache-Control"] = "no-store"
    return response


def preview(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = _consultation(slug)
    if (refused := _require(request, "topics.use_workspace", consultation)) is not None:
        return refused
    return render(
        request,
        "topics/workspace/preview.html",
        {
            "consultation": consultation,
            "phase": consultation.phase,
            "sections": selectors.sections_of(consultation),
            "questions": consultation.questions.order_by("position", "id"),
        },
    )


def _act(request: HttpRequest, consultation: Consultation, call, done: str) -> HttpResponse:
    try:
        call()
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("topics:ws_manage", slug=consultation.slug)


@require_POST
def publish(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = _consultation(slug)
    if (refused := _require(request, "topics.publish_consultation", consultation)) is not None:
        return refused
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please enter a valid date and time."))
        return redirect("topics:ws_manage", slug=slug)
    when = form.cleaned_data["published_at"]
    return _act(
        request,
        consultation,
        lambda: services.consultation_publish(
            actor=request.user, consultation=consultation, when=when, ip_address=client_ip(request)
        ),
        _("Publication scheduled.") if when else _("Published."),
    )


@require_POST
def unschedule(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = _consultation(slug)
    if (refused := _require(request, "topics.publish_consultation", consultation)) is not None:
        return refused
    return _act(
        request,
        consultation,
        lambda: services.consultation_unpublish(
            actor=request.user, consultation=consultation, ip_address=client_ip(request)
        ),
        _("The scheduled publication is cancelled."),
    )


@require_POST
def extend(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = _consultation(slug)
    if (refused := _require(request, "topics.extend_consultation", consultation)) is not None:
        return refused
    form = ExtendForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please give a new closing date and a reason."))
        return redirect("topics:ws_manage", slug=slug)
    return _act(
        request,
        consultation,
        lambda: services.consultation_extend(
            actor=request.user,
            consultation=consultation,
            closes_at=form.cleaned_data["closes_at"],
            reason=form.cleaned_data["reason"],
            ip_address=client_ip(request),
        ),
        _("The consultation is extended."),
    )


@require_POST
def close(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = _consultation(slug)
    if (refused := _require(request, "topics.close_consultation", consultation)) is not None:
        return refused
    form = CloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please give the reason for closing early."))
        return redirect("topics:ws_manage", slug=slug)
    return _act(
        request,
        consultation,
        lambda: services.consultation_close(
            actor=request.user,
            consultation=consultation,
            reason=form.cleaned_data["reason"],
            ip_address=client_ip(request),
        ),
        _("The consultation is closed."),
    )
