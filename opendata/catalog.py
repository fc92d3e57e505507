"""The catalogue of every open-data package: DCAT (JSON-LD) and CKAN's action API shapes.

A CKAN harvester or ``ckanapi`` reads ``/data/api/3/action/package_list`` and
``package_show?id=<slug>`` as if this were a CKAN site; a DCAT harvester reads
``/data/catalog.json``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse

from opendata.models import LICENCES, licence_of
from opendata.package import iso
from topics.models import Consultation


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _links(consultation: Consultation) -> dict[str, str]:
    slug = consultation.slug
    return {
        "page": _absolute(consultation.get_absolute_url()),
        "data": _absolute(reverse("opendata:page", args=[slug])),
        "zip": _absolute(reverse("opendata:package_zip", args=[slug])),
        "datapackage": _absolute(reverse("opendata:datapackage", args=[slug])),
        "polis": _absolute(reverse("opendata:polis_zip", args=[slug])),
    }


def dcat_dataset(consultation: Consultation) -> dict[str, Any]:
    links = _links(consultation)
    licence = licence_of(consultation.agency_id)
    agency = consultation.agency
    return {
        "@type": "dcat:Dataset",
        "@id": links["data"],
        "dct:identifier": consultation.slug,
        "dct:title": [
            {"@language": "th", "@value": consultation.title},
            {"@language": "en", "@value": f"Public consultation: {consultation.title}"},
        ],
        "dct:description": consultation.summary,
        "dct:issued": iso(consultation.published_at),
        "dct:modified": iso(consultation.updated_at),
        "dct:temporal": {
            "@type": "dct:PeriodOfTime",
            "dcat:startDate": iso(consultation.opens_at),
            "dcat:endDate": iso(consultation.closes_at),
        },
        "dct:publisher": {
            "@type": "foaf:Organization",
            "foaf:name": [
                {"@language": "th", "@value": agency.name_th},
                {"@language": "en", "@value": agency.name_en},
            ],
        },
        "dct:accrualPeriodicity": "http://purl.org/cld/freq/irregular",
        "dcat:keyword": [consultation.kind, consultation.category],
        "dcat:landingPage": links["page"],
        "dcat:distribution": [
            {
                "@type": "dcat:Distribution",
                "dct:title": "Frictionless Data Package (ZIP)",
                "dcat:downloadURL": links["zip"],
                "dcat:mediaType": "application/zip",
                "dct:license": LICENCES[licence][1],
            },
            {
                "@type": "dcat:Distribution",
                "dct:title": "datapackage.json",
                "dcat:downloadURL": links["datapackage"],
                "dcat:mediaType": "application/json",
                "dct:license": LICENCES[licence][1],
            },
            {
                "@type": "dcat:Distribution",
                "dct:title": "Polis export layout (ZIP)",
                "dcat:downloadURL": links["polis"],
                "dcat:mediaType": "application/zip",
                "dct:license": LICENCES[licence][1],
            },
        ],
    }


def dcat_catalog(consultations: list[Consultation]) -> dict[str, Any]:
    return {
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
        },
        "@type": "dcat:Catalog",
        "@id": _absolute(reverse("opendata:catalog")),
        "dct:title": [
            {"@language": "th", "@value": "ข้อมูลเปิดจากการรับฟังความคิดเห็น"},
            {"@language": "en", "@value": "Open data of public consultations"},
        ],
        "dcat:dataset": [dcat_dataset(c) for c in consultations],
    }


def ckan_package(consultation: Consultation) -> dict[str, Any]:
    """A CKAN ``package_show`` result (the fields ckanapi and data.go.th's CKAN read)."""
    links = _links(consultation)
    licence = licence_of(consultation.agency_id)
    title, url = LICENCES[licence]
    agency = consultation.agency
    resources = [
        ("data-package", "Data package (ZIP)", links["zip"], "ZIP"),
        ("datapackage-json", "datapackage.json", links["datapackage"], "JSON"),
        ("polis-export", "Polis export layout (ZIP)", links["polis"], "ZIP"),
    ]
    return {
        "id": f"consultation-{consultation.pk}",
        "name": consultation.slug.lower()[:100],
        "title": consultation.title,
        "notes": consultation.summary,
        "url": links["page"],
        "license_id": licence,
        "license_title": title,
        "license_url": url,
        "metadata_created": iso(consultation.created_at),
        "metadata_modified": iso(consultation.updated_at),
        "state": "active",
        "type": "dataset",
        "private": False,
        "organization": {
            "name": agency.slug,
            "title": agency.name_th,
            "description": agency.name_en,
        },
        "tags": [{"name": consultation.kind}, {"name": consultation.category}],
        "extras": [
            {"key": "title_en", "value": f"Public consultation: {consultation.title}"},
            {"key": "update_frequency", "value": "irregular"},
            {"key": "temporal_start", "value": iso(consultation.opens_at)},
            {"key": "temporal_end", "value": iso(consultation.closes_at)},
            {"key": "category", "value": consultation.category},
        ],
        "resources": [
            {
                "id": f"consultation-{consultation.pk}-{key}",
                "name": name,
                "url": link,
                "format": fmt,
                "package_id": f"consultation-{consultation.pk}",
            }
            for key, name, link, fmt in resources
        ],
        "num_resources": len(resources),
    }
