"""allauth adapters: national ID hashing for the identity provider, one verified account per
person, and the client IP used by rate limits."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.shortcuts import render

from accounts import identity
from accounts.models import IdentityVerification


class AccountAdapter(DefaultAccountAdapter):
    pass


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def get_provider(self, request, provider, client_id=None):
        instance = super().get_provider(request, provider, client_id=client_id)
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
