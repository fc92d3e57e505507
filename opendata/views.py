"""Open-data pages: a consultation's data page and downloads, the catalogue, CKAN's API."""

from __future__ import annotations

import json

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from consult.streaming import streaming_response
from opendata import catalog, package, polis
from opendata.models import LICENCES, licence_of
from topics.models import Consultation, Phase
from topics.selectors import visible_consultation


def _public(request: HttpRequest, slug: str) -> Consultation:
    """A published consultation (the open data of a draft does not exist yet, even for staff)."""
    consultation = visible_consultation(slug, request.user)
    if consultation is None or consultation.phase == Phase.DRAFT:
        raise Http404(_("No such consultation."))
    return consultation


@require_GET
def page(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = _public(request, slug)
    licence = licence_of(consultation.agency_id)
    return render(
        request,
        "opendata/page.html",
        {
            "consultation": consultation,
            "tables": package.tables(consultation),
            "licence": licence,
            "licence_title": LICENCES[licence][0],
            "licence_url": LICENCES[licence][1],
            "final": consultation.phase == Phase.CLOSED,
            "thai": (get_language() or "th").startswith("th"),
        },
    )


@require_GET
def datapackage(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = _public(request, slug)
    document = package.descriptor(consultation, package.tables(consultation))
    response = JsonResponse(document, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _zip(request: HttpRequest, stream, filename: str) -> StreamingHttpResponse:  # noqa: ANN001
    response = streaming_response(request, stream, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def package_zip(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    consultation = _public(request, slug)
    return _zip(request, package.package_stream(consultation), f"{consultation.slug}-data.zip")


@require_GET
def polis_zip(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    consultation = _public(request, slug)
    return _zip(request, polis.polis_stream(consultation), f"{consultation.slug}-polis.zip")


def _published() -> list[Consultation]:
    return list(package.published_consultations())


@require_GET
def catalog_json(request: HttpRequest) -> JsonResponse:
    response = JsonResponse(
        catalog.dcat_catalog(_published()),
        json_dumps_params={"ensure_ascii": False},
        content_type="application/ld+json",
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def catalog_page(request: HttpRequest) -> HttpResponse:
    return render(request, "opendata/catalog.html", {"consultations": _published()})


def _ckan(request: HttpRequest, result: object, status: int = 200) -> JsonResponse:
    body: dict[str, object] = {"help": request.build_absolute_uri(), "success": status == 200}
    if status == 200:
        body["result"] = result
    else:
        body["error"] = result
    response = JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _ckan_params(request: HttpRequest) -> dict[str, object]:
    params: dict[str, object] = dict(request.GET.items())
    if request.method == "POST" and request.body:
        try:
            posted = json.loads(request.body)
        except ValueError:
            posted = None
        if isinstance(posted, dict):
            params.update(posted)
    return params


@csrf_exempt  # read-only: ckanapi posts its (empty or {"id": ...}) parameters as JSON
@require_http_methods(["GET", "POST"])
def ckan_action(request: HttpRequest, action: str) -> JsonResponse:
    params = _ckan_params(request)
    if action == "package_list":
        return _ckan(request, [c.slug.lower() for c in _published()])
    if action == "current_package_list_with_resources":
        return _ckan(request, [catalog.ckan_package(c) for c in _published()])
    if action == "package_show":
        wanted = str(params.get("id", "")).strip()
        found = next(
            (c for c in _published() if wanted in (c.slug.lower(), f"consultation-{c.pk}")),
            None,
        )
        if found is None:
            return _ckan(request, {"__type": "Not Found Error", "message": _("Not found")}, 404)
        return _ckan(request, catalog.ckan_package(found))
    if action == "status_show":
        return _ckan(
            request,
            {
                "ckan_version": "2.10",
                "site_url": request.build_absolute_uri(reverse("opendata:catalog_page")),
                "extensions": [],
            },
        )
    return _ckan(request, {"__type": "Not Found Error", "message": _("Unknown action.")}, 400)
