"""Moderation forms: they parse input; services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from moderation.models import Action, FlagReason, ModerationPolicy, ReasonCode

DECISION_REASONS = [("", _("Reason…"))] + [
    (value, label)
    for value, label in ReasonCode.choices
    if value not in (ReasonCode.PRE_MODERATION, ReasonCode.UNVERIFIED, ReasonCode.FLAGGED)
]


class FlagForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why are you reporting it?"), choices=FlagReason.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(label=_("Details (optional)"), max_length=500, required=False)
    next = forms.CharField(required=False)


class AppealForm(forms.Form):
    text = forms.CharField(
        label=_("Why should the decision change?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 1000}),
    )


class DecisionForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (Action.APPROVE, _("Approve")),
            (Action.HIDE, _("Hide")),
            (Action.REMOVE, _("Remove")),
            (Action.RESTORE, _("Restore")),
            (Action.ESCALATE, _("Escalate")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.ChoiceField(label=_("Reason"), choices=DECISION_REASONS, required=False)
    note = forms.CharField(
        label=_("Public note (shown in place of the comment)"), max_length=500, required=False
    )
    # The queue item the moderator was looking at (a decision on it is refused once decided).
    item = forms.IntegerField(required=False, widget=forms.HiddenInput)


class BulkForm(DecisionForm):
    items = forms.TypedMultipleChoiceField(coerce=int, choices=[])

    def __init__(self, *args, item_ids: list[int], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["items"].choices = [(i, i) for i in item_ids]


class SuspendForm(forms.Form):
    days = forms.IntegerField(label=_("Days"), min_value=1, max_value=365, initial=7)
    reason = forms.ChoiceField(label=_("Reason"), choices=DECISION_REASONS)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class PolicyForm(forms.ModelForm):
    class Meta:
        model = ModerationPolicy
        fields = [
            "mode",
            "trusted_level",
            "flag_threshold",
            "max_links",
            "flood_limit",
            "flood_window_seconds",
            "hold_profanity",
            "hold_impolite",
            "hold_links",
            "hold_personal_data",
            "retention_days",
        ]
        widgets = {"mode": forms.RadioSelect}
