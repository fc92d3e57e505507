"""allauth adapters: national ID hashing for the identity provider, one verified account per
person, and the client IP used by rate limits."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.core.exceptions import ValidationError
from django.shortcuts import render

from accounts import identity, ratelimits
from accounts.models import IdentityVerification
from consult import ratelimit
from consult.security import client_ip


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request) -> str:
        """The same address rate limits and audit entries use (``TRUSTED_PROXY_COUNT``)."""
        return client_ip(request)

    def pre_authenticate(self, request, **credentials) -> None:
        """Too many failed logins for this address: answer 429 with the time to wait (the
        same for known and unknown addresses, since the limit is counted per address typed)."""
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError as exc:
            if exc.code != "too_many_login_attempts":
                raise
            wait = ratelimits.retry_after(
                request,
                "login_failed",
                key=self._get_login_attempts_cache_key(request, **credentials),
            )
            raise ImmediateHttpResponse(
                ratelimit.too_many(request, ratelimit.Limited(retry_after=wait))
            ) from exc


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def get_provider(self, request, provider, client_id=None):
        from allauth.socialaccount.models import SocialApp
        from django.http import Http404

        try:
            instance = super().get_provider(request, provider, client_id=client_id)
        except SocialApp.DoesNotExist:
            # A provider's addresses exist whether or not the site set it up (environment or
            # admin): one that is not set up is not found, not a server error.
            raise Http404("sign-in provider not set up") from None
        identity.wrap_provider(instance)
        return instance

    def list_providers(self, request):
        providers = super().list_providers(request)
        for instance in providers:
            identity.wrap_provider(instance)
        return providers

    def pre_social_login(self, request, sociallogin) -> None:
        """Refuse a national ID already verified on another account (before anything is
        created or linked)."""
        digest = (sociallogin.account.extra_data or {}).get(identity.HASH_FIELD)
        if not digest:
            return
        owner = (
            IdentityVerification.objects.filter(id_hash=digest)
            .values_list("user_id", flat=True)
            .first()
        )
        user = sociallogin.user if sociallogin.is_existing else None
        if request.user.is_authenticated and not sociallogin.is_existing:
            user = request.user  # connecting the identity to the signed-in account
        if owner is not None and (user is None or user.pk != owner):
            raise ImmediateHttpResponse(render(request, "accounts/identity_taken.html", status=409))
