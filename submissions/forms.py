from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from comments.models import CommentStance, OfflineVia
from topics.models import Consultation


class EntryForm(forms.Form):
    sender = forms.CharField(
        label=_("Name or organisation as given"), max_length=120, required=False
    )
    name_public = forms.BooleanField(
        label=_("The sender agreed to have this name shown with the submission"), required=False
    )
    via = forms.ChoiceField(label=_("How it arrived"), choices=OfflineVia.choices)
    received_on = forms.DateField(
        label=_("Date received"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reference = forms.CharField(label=_("Reference number"), max_length=60)
    section = forms.ChoiceField(label=_("About"), required=False)
    stance = forms.ChoiceField(label=_("Stance"), choices=CommentStance.choices, required=False)
    body = forms.CharField(
        label=_("The text of the submission"), widget=forms.Textarea(attrs={"rows": 8})
    )
    attachment = forms.FileField(
        label=_("Scan (PDF, PNG or JPEG, at most 10 MB; seen only by the agency's staff)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/png,image/jpeg"}),
    )

    def __init__(self, *args, consultation: Consultation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.consultation = consultation
        self.fields["section"].choices = [("", _("The whole draft"))] + [
            (str(s.pk), str(s)) for s in consultation.sections.order_by("position", "id")
        ]

    def clean_section(self):
        value = self.cleaned_data.get("section")
        if not value:
            return None
        section = self.consultation.sections.filter(pk=value).first()
        if section is None:
            raise forms.ValidationError(_("That section is not part of this draft."))
        return section


class BatchForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet (CSV or XLSX, at most 2 MB)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )
