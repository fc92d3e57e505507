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
    stance = forms.ChoiceField(
        label=_("Your stance"),
        choices=CommentStance.choices,
        initial=CommentStance.NEUTRAL,
        widget=forms.RadioSelect,
    )
    section = forms.TypedChoiceField(label=_("About"), required=False, coerce=int, empty_value=None)
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)

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
