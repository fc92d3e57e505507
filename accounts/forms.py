from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import NameKind


class ProfileForm(forms.Form):
    display_name = forms.CharField(
        label=_("Name shown with your comments"),
        max_length=80,
        required=False,
        help_text=_("Leave empty to appear as “Participant” with a number."),
    )
    name_kind = forms.ChoiceField(
        label=_("This name is"), choices=NameKind.choices, widget=forms.RadioSelect
    )


class DeleteForm(forms.Form):
    comments = forms.ChoiceField(
        label=_("Your comments"),
        choices=[
            ("keep", _("Keep them, shown as “Deleted user”")),
            ("remove", _("Remove them where the law allows")),
        ],
        widget=forms.RadioSelect,
        initial="keep",
    )
    confirm = forms.BooleanField(
        label=_("I understand that my account and personal data will be erased for good.")
    )
