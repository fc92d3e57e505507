from __future__ import annotations

import base64

import pytest

TEST_KEY = base64.b64encode(bytes(range(1, 33))).decode()


@pytest.fixture(autouse=True)
def _records_key(settings):
    settings.RECORDS_SIGNING_KEY = TEST_KEY
    settings.RECORDS_ORIGIN = "test.example/records"
