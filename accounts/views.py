"""Account pages: public name, assurance level, consent, download my data, delete my account."""

from __future__ import annotations

import json
from functools import wraps

from allauth.core.exceptions import ReauthenticationRequired
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts import ratelimits, selectors, services
from accounts.forms import DeleteForm, ProfileForm
from accounts.models import Level
from consult import ratelimit
from consult.errors import ServiceError
from consult.security import redirect_to, safe_next


def recent_sign_in_required(*, allow_get: bool = False):
    """The person signed in, or confirmed their password (or second factor), within
    allauth's ``ACCOUNT_REAUTHENTICATION_TIMEOUT``; otherwise allauth asks them to confirm
    and brings them back. For erasing the account and downloading everything it holds."""

    def decorator(view):
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not (allow_get and request.method == "GET") and not selectors.signed_in_recently(
                request
            ):
                raise ReauthenticationRequired()
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _safe_next(request: HttpRequest, default: str = "/") -> str:
    return safe_next(request, request.POST.get("next") or request.GET.get("next"), default)


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            try:
                services.profile_update(
                    user=user,
                    display_name=form.cleaned_data["display_name"],
                    name_kind=form.cleaned_data["name_kind"],
                )
            except ServiceError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("Your public name is saved."))
                return redirect("accounts:profile")
    else:
        form = ProfileForm(
            initial={"display_name": user.display_name, "name_kind": selectors.name_kind(user)}
            if selectors.name_kind(user) != "none"
            else {"display_name": "", "name_kind": "real"}
        )
    level = selectors.assurance_level(user)
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "level": level,
            "level_label": Level(level).label,
            "levels": Level,
            "consented": selectors.has_consented(user),
            "is_staff_member": selectors.is_staff_member(user),
            "has_mfa": selectors.has_mfa(user),
        },
    )


@require_http_methods(["GET", "POST"])
def consent(request: HttpRequest) -> HttpResponse:
    """The plain-language notice (Thai and English) and the explicit consent button."""
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        lang = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
        try:
            if request.POST.get("action") == "withdraw":
                services.consent_withdraw(user=request.user, language=lang)
                messages.info(
                    request,
                    _(
                        "Your consent is withdrawn. You can no longer comment or vote until you give it again."
                    ),
                )
                return redirect("accounts:profile")
            if request.POST.get("agree") != "yes":
                messages.error(request, _("Please tick the box to give your consent."))
                return redirect(f"{request.path}?next={_safe_next(request)}")
            services.consent_give(
                user=request.user,
                notice_version=request.POST.get("version", ""),
                language=lang,
            )
        except ServiceError as exc:
            messages.error(request, exc.message)
            return redirect(request.path)
        messages.success(request, _("Thank you. You can now take part."))
        return redirect_to(_safe_next(request))
    return render(
        request,
        "accounts/consent.html",
        {
            "version": settings.CONSENT_NOTICE_VERSION,
            "next": _safe_next(request, ""),
            "consented": selectors.has_consented(request.user),
            "retention_ip_days": settings.RETENTION_IP_DAYS,
        },
    )


@login_required
def data_page(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/data.html")


@login_required
@recent_sign_in_required()
def data_download(request: HttpRequest) -> HttpResponse:
    data = selectors.personal_data(request.user)
    body = json.dumps(data, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    # The person's own date (the site's time zone), not UTC's: at 06:00 in Bangkok it is
    # already tomorrow.
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="my-data-{stamp}.json"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
@recent_sign_in_required(allow_get=True)
def delete(request: HttpRequest) -> HttpResponse:
    form = DeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        try:
            result = services.account_delete(
                user=user, remove_comments=form.cleaned_data["comments"] == "remove"
            )
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            logout(request)
            messages.success(
                request,
                _(
                    "Your account is deleted. %(kept)s comments are kept as “Deleted user”, "
                    "%(removed)s removed."
                )
                % {"kept": result["comments_kept"], "removed": result["comments_removed"]},
            )
            return redirect("topics:list")
    return render(request, "accounts/delete.html", {"form": form})


def too_many_requests(request: HttpRequest) -> HttpResponse:
    """allauth's answer when sign-up, login or password reset is over its limit: the 429 page
    (or JSON) with ``Retry-After``, like the comment and vote limits."""
    match = getattr(request, "resolver_match", None)
    action = ratelimits.ACTIONS.get(match.url_name if match else "", "")
    wait = ratelimits.retry_after(request, action) if action else 60
    return ratelimit.too_many(request, ratelimit.Limited(retry_after=wait))
