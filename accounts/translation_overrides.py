"""Messages of Django and django-allauth shown on our pages whose Thai is missing or wrong in
their own catalogues. Naming them here puts them in this project's catalogue, which Django
reads before theirs (LOCALE_PATHS first), so the Thai in locale/glossary/first_contact.py is
what people see. Nothing calls this function: it exists for message extraction.
"""

from __future__ import annotations

from django.utils.translation import gettext, ngettext


def _messages_for_extraction() -> None:  # pragma: no cover - read by makemessages only
    # Django's password rules (django.contrib.auth.password_validation).
    gettext("Your password can’t be too similar to your other personal information.")
    ngettext(
        "Your password must contain at least %(min_length)d character.",
        "Your password must contain at least %(min_length)d characters.",
        8,
    )
    gettext("Your password can’t be a commonly used password.")
    ngettext(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        8,
    )
    gettext("The password is too similar to the %(verbose_name)s.")
    gettext("This password is too common.")
    # Django's durations ("5 hours, 6 minutes" in the moderation queue), missing in its Thai.
    for n in (1, 2):
        ngettext("%(num)d year", "%(num)d years", n)
        ngettext("%(num)d month", "%(num)d months", n)
        ngettext("%(num)d week", "%(num)d weeks", n)
        ngettext("%(num)d day", "%(num)d days", n)
        ngettext("%(num)d hour", "%(num)d hours", n)
        ngettext("%(num)d minute", "%(num)d minutes", n)
    # django-allauth: a wrong Thai label and English words left in its Thai.
    gettext("Confirm Access")
    gettext("Authenticator App")
    gettext("Authenticator app activated.")
    gettext("Authenticator App Activated")
    gettext("Authenticator app deactivated.")
    gettext("Authenticator App Deactivated")
    gettext("Activate Authenticator App")
    gettext("Deactivate Authenticator App")
    gettext("Authenticator secret")
    gettext("Authenticator code")
