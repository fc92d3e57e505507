"""Record an identity verification whenever an account linked to the digital-ID provider is
saved with a national ID hash."""

from __future__ import annotations

from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.signals import authenticator_added
from allauth.socialaccount.models import SocialAccount
from django.db.models.signals import post_save
from django.dispatch import receiver

from accounts import identity


@receiver(post_save, sender=SocialAccount)
def _record_identity(sender, instance: SocialAccount, **kwargs) -> None:
    digest = (instance.extra_data or {}).get(identity.HASH_FIELD)
    if digest and instance.user_id:
        from accounts.services import identity_record

        identity_record(user=instance.user, id_hash=digest, provider=instance.provider)


@receiver(authenticator_added)
def _second_factor_proved_on_set_up(sender, request, user, authenticator, **kwargs) -> None:
    """Setting up TOTP or a security key asks for a code from it: the session has just passed
    the second factor, as allauth records a second-factor sign-in."""
    if request is None or authenticator.type not in ("totp", "webauthn"):
        return
    record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type)
    # allauth sends this after commit, which may be after the response saved the session
    request.session.save()
