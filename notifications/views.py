"""Follow buttons, the notification list, preferences, one-click unsubscribe, LINE webhook."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from consult.errors import ServiceError
from notifications import content, line, selectors, services, tokens
from notifications.models import EmailMode, Kind, Target


def _next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@login_required
@require_POST
def follow(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("target", "")
    key = request.POST.get("key", "")[:40]
    on = request.POST.get("on") == "1"
    if not _target_exists(target, key):
        messages.error(request, _("This cannot be followed."))
        return redirect(_next(request, "notifications:following"))
    try:
        services.follow_set(user=request.user, target=target, key=key, on=on)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("You follow it now. We will tell you what happens.")
            if on
            else _("You no longer follow it."),
        )
    return redirect(_next(request, "notifications:following"))


def _target_exists(target: str, key: str) -> bool:
    from topics.models import Agency, Category, Consultation

    if target == Target.CATEGORY:
        return key in Category.values
    if not key.isdigit():
        return False
    if target == Target.AGENCY:
        return Agency.objects.filter(pk=int(key)).exists()
    if target == Target.CONSULTATION:
        c = Consultation.objects.filter(pk=int(key)).first()
        return c is not None and c.published_at is not None
    return False


@login_required
def following(request: HttpRequest) -> HttpResponse:
    from topics.models import Agency, Category

    return render(
        request,
        "notifications/following.html",
        {
            "rows": selectors.following(request.user),
            "agencies": Agency.objects.order_by("name_th"),
            "categories": Category.choices,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def notice_list(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        services.notices_mark_read(user=request.user)
        return redirect("notifications:list")
    page = Paginator(selectors.notices(request.user), 30).get_page(request.GET.get("page"))
    items = [{"notice": n, "text": content.headline(n)} for n in page]
    return render(
        request,
        "notifications/list.html",
        {"page": page, "items": items, "unread": selectors.unread_count(request.user)},
    )


@login_required
def unread(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"count": selectors.unread_count(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    prefs = services.preferences_for(request.user)
    link = services.line_link_for(request.user) if line.enabled() else None
    error = ""
    if request.method == "POST":
        try:
            services.preferences_update(
                user=request.user,
                language=request.POST.get("language", ""),
                email_mode=request.POST.get("email_mode", ""),
                line_on=request.POST.get("line") == "1",
                follow_on_comment=request.POST.get("follow_on_comment") == "1",
                kinds_on=request.POST.getlist("kinds"),
            )
        except ServiceError as exc:
            error = exc.message
        else:
            messages.success(request, _("Your notification settings are saved."))
            return redirect("notifications:preferences")
    return render(
        request,
        "notifications/preferences.html",
        {
            "prefs": prefs,
            "kinds": Kind.choices,
            "modes": EmailMode.choices,
            "line_enabled": line.enabled(),
            "line_link": link,
            "error": error,
        },
        status=400 if error else 200,
    )


@csrf_exempt  # RFC 8058: the mail provider posts here, with no session and no CSRF token
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    parsed = tokens.read(token)
    if parsed is None:
        return render(request, "notifications/unsubscribe.html", {"invalid": True}, status=400)
    done = False
    if request.method == "POST":
        services.unsubscribe(token=token)
        done = True
    kind = parsed[1]
    label = dict(Kind.choices).get(kind) if kind != tokens.ALL else None
    return render(request, "notifications/unsubscribe.html", {"done": done, "kind_label": label})


@csrf_exempt  # LINE signs the body instead (X-Line-Signature)
@require_POST
def line_webhook(request: HttpRequest) -> HttpResponse:
    if not line.enabled():
        return HttpResponse(status=404)
    try:
        services.line_webhook(
            body=request.body, signature=request.headers.get("X-Line-Signature", "")
        )
    except ServiceError as exc:
        return HttpResponse(status=403 if exc.code == "signature" else 400)
    return HttpResponse(status=200)
