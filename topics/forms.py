"""Agency workspace forms: they parse; topics.services validates and writes."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from topics.models import Consultation, QuestionKind

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ConsultationForm(forms.ModelForm):
    class Meta:
        model = Consultation
        fields = [
            "title",
            "slug",
            "summary",
            "body",
            "language",
            "kind",
            "category",
            "opens_at",
            "closes_at",
            "short_period_reason",
            "min_assurance",
            "unnamed_comments",
            "legal_basis",
            "source_note",
        ]
        widgets = {
            "opens_at": DATETIME,
            "closes_at": DATETIME,
            "summary": forms.Textarea(attrs={"rows": 3}),
            "body": forms.Textarea(attrs={"rows": 8}),
            "short_period_reason": forms.Textarea(attrs={"rows": 2}),
            "source_note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # A Thai editor need not invent a Latin address: it is made from the title if empty.
        slug = self.fields["slug"]
        slug.required = False
        slug.label = _("Web address (optional)")
        slug.help_text = _(
            "Latin letters, digits and hyphens, as in /c/clean-air-act/. Leave it empty and it "
            "is made from the title (or from the agency and the date)."
        )
        for name in ("opens_at", "closes_at"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]

    def validate_unique(self) -> None:  # the service reports a taken address clearly
        pass

    def error_summary(self, *formsets) -> list[tuple[str, str, str]]:
        """Every error on the page as (field id, label, message), for the summary at the top."""
        rows = [("", "", str(e)) for e in self.non_field_errors()]
        for name, errors in self.errors.items():
            if name == "__all__":
                continue
            field = self[name]
            rows += [(field.id_for_label, str(field.label), str(e)) for e in errors]
        for formset in formsets:
            rows += [("", "", str(e)) for e in formset.non_form_errors()]
            for number, form in enumerate(formset.forms, start=1):
                for name, errors in form.errors.items():
                    if name == "__all__":
                        rows += [("", f"{number}", str(e)) for e in errors]
                        continue
                    field = form[name]
                    label = f"{field.label} ({number})"
                    rows += [(field.id_for_label, label, str(e)) for e in errors]
        return rows


class SectionForm(forms.Form):
    number = forms.CharField(label=_("number"), max_length=40, required=False)
    heading = forms.CharField(label=_("heading"), max_length=300, required=False)
    text = forms.CharField(
        label=_("text"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("kind"), choices=[("", "—"), *QuestionKind.choices], required=False
    )
    prompt = forms.CharField(label=_("question"), max_length=500, required=False)
    choices = forms.CharField(
        label=_("choices (one per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


SectionFormSet = forms.formset_factory(SectionForm, extra=2, max_num=200)
QuestionFormSet = forms.formset_factory(QuestionForm, extra=1, max_num=50)


class PublishForm(forms.Form):
    published_at = forms.DateTimeField(
        label=_("Publish at (leave empty to publish now)"),
        required=False,
        widget=DATETIME,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )


class ExtendForm(forms.Form):
    closes_at = forms.DateTimeField(
        label=_("New closing date"), widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M"]
    )
    reason = forms.CharField(
        label=_("Reason for the extension (shown to the public)"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CloseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for closing early"), widget=forms.Textarea(attrs={"rows": 2})
    )
