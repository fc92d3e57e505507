from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from comments.models import CommentStance
from topics.models import Consultation


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        max_length=settings.COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": settings.COMMENT_MAX_LENGTH}),
        error_messages={"required": _("Please write a comment.")},
    )
    # Nothing is pre-selected: a comment has a stance only when its author gives one.
    stance = forms.ChoiceField(
        label=_("Your stance (optional)"),
        choices=[(value, label) for value, label in CommentStance.choices if value],
        required=False,
        widget=forms.RadioSelect,
    )
    section = forms.TypedChoiceField(label=_("About"), required=False, coerce=int, empty_value=None)
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # Shown only to a person who has not yet consented: the notice is agreed at the form.
    consent = forms.BooleanField(
        label=_(
            "I have read how my comments and votes are used and I agree to it "
            "(asked once, before the first comment or vote)."
        ),
        required=False,
    )

    def __init__(
        self, *args, consultation: Consultation, sections: list | None = None, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        if sections is None:
            sections = list(consultation.sections.order_by("position", "id"))
        self.offer_sections(sections)

    def offer_sections(self, sections: list) -> None:
        self.fields["section"].choices = [("", _("The whole draft"))] + [
            (s.pk, str(s)) for s in sections
        ]
