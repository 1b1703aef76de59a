"""Smoke test of the real Elasticsearch that CI provides: index a firm, find it, clean up."""

from __future__ import annotations

import os
import uuid

import pytest

pytestmark = pytest.mark.skipif(
    not os.environ.get("ELASTICSEARCH_URL"),
    reason="ELASTICSEARCH_URL is not set: the Elasticsearch leg runs only where a cluster is given",
)


def test_a_firm_indexed_in_elasticsearch_can_be_found_by_name():
    from elasticsearch import Elasticsearch
    from elasticsearch.dsl import Document, GeoPoint, Keyword, Search, Text

    class FirmDocument(Document):
        kvk_number = Keyword()
        name = Text()
        description = Text()
        municipality_code = Keyword()
        location = GeoPoint()

    client = Elasticsearch(os.environ["ELASTICSEARCH_URL"], request_timeout=30)
    # The minimal distribution answers GET / with 405, so ask the cluster's health instead.
    assert client.cluster.health(wait_for_status="yellow", timeout="30s")["status"] in {
        "green",
        "yellow",
    }
    index = f"dichtbij-smoke-{uuid.uuid4().hex}"
    try:
        FirmDocument.init(index=index, using=client)
        FirmDocument(
            meta={"id": "24123456"},
            kvk_number="24123456",
            name="Schildersbedrijf Van Dijk",
            description="Binnen- en buitenschilderwerk in Dordrecht.",
            municipality_code="GM0505",
            location={"lat": 51.81373, "lon": 4.66928},
        ).save(index=index, using=client)
        FirmDocument(
            meta={"id": "24654321"},
            kvk_number="24654321",
            name="Bouwbedrijf Maas & Zonen",
            description="Nieuwbouw en renovatie.",
            municipality_code="GM0599",
            location={"lat": 51.91869, "lon": 4.48756},
        ).save(index=index, using=client)
        client.indices.refresh(index=index)

        response = (
            Search(using=client, index=index).query("match", name="schildersbedrijf").execute()
        )

        assert response.hits.total.value == 1
        assert response.hits[0].name == "Schildersbedrijf Van Dijk"
        assert response.hits[0].meta.id == "24123456"
    finally:
        client.indices.delete(index=index, ignore_unavailable=True)
        client.close()
