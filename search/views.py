"""One search box across every agency's consultations, and a search in one consultation's
comments."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from search import backend, selectors
from topics.models import Agency, Category, Kind, Phase
from topics.selectors import ListFilters, visible_consultation


def search(request: HttpRequest) -> HttpResponse:
    filters = ListFilters(
        q=request.GET.get("q", "").strip()[:200],
        agency=request.GET.get("agency", "")[:60],
        status=request.GET.get("status", "")[:20],
        kind=request.GET.get("kind", "")[:30],
        category=request.GET.get("category", "")[:30],
    )
    if not filters.q:  # filters alone: the list of consultations does that
        query = request.GET.copy()
        query.pop("q", None)
        return redirect(reverse("topics:list") + ("?" + query.urlencode() if query else ""))
    page = Paginator(selectors.consultation_results(filters), 20).get_page(request.GET.get("page"))
    hits = selectors.consultation_hits(list(page), backend.query_words(filters.q))
    return render(
        request,
        "search/results.html",
        {
            "page": page,
            "hits": hits,
            "filters": filters,
            "agencies": Agency.objects.all(),
            "kinds": Kind.choices,
            "categories": Category.choices,
            "statuses": [
                (Phase.OPEN, _("Open")),
                (Phase.UPCOMING, _("Upcoming")),
                (Phase.CLOSED, _("Closed")),
            ],
        },
    )


def comment_search(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = visible_consultation(slug, request.user)
    if consultation is None:
        raise Http404
    q = request.GET.get("q", "").strip()[:200]
    results = selectors.comment_results(consultation, q) if q else []
    page = Paginator(results, 20).get_page(request.GET.get("page"))
    hits = selectors.comment_hits(consultation, list(page), backend.query_words(q)) if q else []
    return render(
        request,
        "search/comments.html",
        {"consultation": consultation, "q": q, "page": page, "hits": hits},
    )
