"""Fixtures of the supplier tests: the search backends under contract."""

from __future__ import annotations

import os
import uuid

import pytest

from suppliers.search.database import DatabaseBackend
from tests.conftest import TEST_INDEX_PREFIX

ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")


@pytest.fixture(
    params=[
        "database",
        pytest.param(
            "elasticsearch",
            marks=pytest.mark.skipif(
                not ELASTICSEARCH_URL, reason="ELASTICSEARCH_URL is not set (CI sets it)"
            ),
        ),
    ]
)
def backend(request, reference_data):
    if request.param == "database":
        yield DatabaseBackend()
        return
    from suppliers.search.elasticsearch import ElasticsearchBackend

    backend = ElasticsearchBackend(
        ELASTICSEARCH_URL, f"{TEST_INDEX_PREFIX}-{uuid.uuid4().hex[:12]}"
    )
    yield backend
    # The writer's longer timeout: on a busy shared cluster dropping an index can take over the
    # search client's two seconds, and a test must not fail on its cleanup.
    backend.writer.indices.delete(index=backend.index_name, ignore_unavailable=True)
