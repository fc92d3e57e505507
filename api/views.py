"""The profile page's API tokens: create (the token is shown once), list, revoke."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from api import services
from api.models import ApiToken, Scope
from consult.errors import ServiceError


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    error = ""
    created = None
    values = {"name": "", "scope": Scope.READ, "days": "90"}
    if request.method == "POST":
        values = {k: request.POST.get(k, "") for k in values}
        try:
            days = int(values["days"])
        except ValueError:
            days = 0
        try:
            token, created = services.token_create(
                user=request.user, name=values["name"], scope=values["scope"], days=days
            )
        except ServiceError as exc:
            error = exc.message
    now = timezone.now()
    rows = [(t, t.is_active(now)) for t in ApiToken.objects.filter(user=request.user)[:50]]
    return render(
        request,
        "api/tokens.html",
        {
            "tab": "tokens",
            "rows": rows,
            "created": created,
            "error": error,
            "values": values,
            "scopes": Scope.choices,
        },
        status=400 if error else 200,
    )


@login_required
@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.token_revoke(token=token, user=request.user)
    messages.success(request, _("The token is revoked."))
    return redirect("api_tokens:list")
