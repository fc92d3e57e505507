"""Schemathesis against the served OpenAPI document: no 5xx, every response as documented.

The number of generated examples per operation is kept small (``MAX_EXAMPLES``), so this runs
in ``make test`` in well under a minute; raise it locally for a deeper run.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from comments.services import comment_create

MAX_EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "6"))


@pytest.fixture
def api_schema(db, make_consultation, alice):
    consultation = make_consultation("open", slug="fuzz")
    root = comment_create(consultation=consultation, author=alice, body="ความเห็นตัวอย่าง")
    comment_create(
        consultation=consultation, author=None, body="ตอบ", parent=root, channel="offline"
    )
    # As Django's test client does: the WSGI handler must not close the test's connection
    # at the end of each request (an in-memory test database would vanish with it).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_api_conforms_to_its_openapi_document(api_schema):
    """Every operation, with generated valid (and some invalid) inputs."""
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 14
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case):
            case.call_and_validate(
                # The WSGI test client does not decode gzip (a browser or HTTP library does).
                headers={"Accept-Encoding": "identity"},
                checks=[
                    not_a_server_error,
                    status_code_conformance,
                    content_type_conformance,
                    response_schema_conformance,
                ],
            )

        check()
