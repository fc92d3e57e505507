"""Atom feeds (new consultations: all, per agency, per category; a consultation's published
comments) and the widget an agency embeds in its own website."""

from __future__ import annotations

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt

from topics.models import Agency, Category, Consultation
from topics.selectors import visible_consultation

FEED_SIZE = 50


class ConsultationsFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, agency: str = "", category: str = ""):
        if agency:
            return ("agency", get_object_or_404(Agency, slug=agency))
        if category:
            if category not in Category.values:
                raise Http404
            return ("category", category)
        return ("all", None)

    def title(self, obj) -> str:
        kind, value = obj
        if kind == "agency":
            return _("New consultations: %(name)s") % {"name": value.name}
        if kind == "category":
            return _("New consultations: %(name)s") % {"name": dict(Category.choices)[value]}
        return _("New consultations")

    def link(self, obj) -> str:
        kind, value = obj
        if kind == "agency":
            return f"/?agency={value.slug}"
        if kind == "category":
            return f"/?category={value}"
        return "/"

    def subtitle(self, obj) -> str:
        return _("Public hearings on draft laws and policies, newest first.")

    def items(self, obj):
        kind, value = obj
        qs = Consultation.objects.filter(
            published_at__isnull=False, published_at__lte=timezone.now()
        ).select_related("agency")
        if kind == "agency":
            qs = qs.filter(agency=value)
        elif kind == "category":
            qs = qs.filter(category=value)
        return qs.order_by("-published_at", "-pk")[:FEED_SIZE]

    def item_title(self, item: Consultation) -> str:
        return item.title

    def item_description(self, item: Consultation) -> str:
        # Plain text: the feed generator escapes it.
        return _("%(agency)s. Open %(opens)s to %(closes)s. %(summary)s") % {
            "agency": item.agency.name,
            "opens": timezone.localdate(item.opens_at).isoformat(),
            "closes": timezone.localdate(item.closes_at).isoformat(),
            "summary": item.summary,
        }

    def item_pubdate(self, item: Consultation):
        return item.published_at

    def item_updateddate(self, item: Consultation):
        return item.updated_at

    def item_author_name(self, item: Consultation) -> str:
        return item.agency.name


class CommentsFeed(Feed):
    """A consultation's published comments, newest first."""

    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, slug: str) -> Consultation:
        consultation = visible_consultation(slug, request.user)
        if consultation is None:
            raise Http404
        return consultation

    def title(self, obj: Consultation) -> str:
        return _("Comments: %(title)s") % {"title": obj.title}

    def link(self, obj: Consultation) -> str:
        return obj.get_absolute_url()

    def items(self, obj: Consultation):
        from comments.models import Comment, Status

        return (
            Comment.objects.filter(consultation=obj, status=Status.PUBLISHED)
            .select_related("author", "consultation")
            .order_by("-created_at", "-pk")[:FEED_SIZE]
        )

    def item_title(self, item) -> str:
        text = " ".join(item.body.split())
        return text[:80] + ("…" if len(text) > 80 else "")

    def item_description(self, item) -> str:
        return item.body

    def item_link(self, item) -> str:
        from django.urls import reverse

        return (
            reverse("comments:thread", args=[item.consultation.slug, item.root_id or item.pk])
            + f"#c{item.pk}"
        )

    def item_pubdate(self, item):
        return item.created_at

    def item_author_name(self, item) -> str:
        return item.author_name or (item.author.public_name() if item.author else "")


@xframe_options_exempt  # made to be shown in an <iframe> on the agency's own website
def widget(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = visible_consultation(slug, request.user)
    if consultation is None or consultation.published_at is None:
        raise Http404
    response = render(
        request,
        "feeds/widget.html",
        {"consultation": consultation, "phase": consultation.phase, "site": settings.SITE_URL},
    )
    response["Content-Security-Policy"] = "frame-ancestors *; default-src 'self'"
    response["Cache-Control"] = "public, max-age=300"
    return response
