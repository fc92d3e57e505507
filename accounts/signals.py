"""Record an identity verification whenever an account linked to the digital-ID provider is
saved with a national ID hash."""

from __future__ import annotations

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
