"""A search cluster keeps answering when a node stops (DESIGN §7, issue 12.4).

Needs a cluster of at least two nodes that this test may stop one of and start again:
``ELASTICSEARCH_CLUSTER_URLS`` names them, the first being the node the app talks to
(``.ci/run`` starts two with ``ES_NODES=2 .ci/elasticsearch.sh start`` and sets it). The test
stops the second node with ``.ci/elasticsearch.sh stop-node PORT`` and starts it again at the end.
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from elasticsearch import Elasticsearch

from marketplace.models import Municipality
from suppliers.search import SearchQuery, get_backend, index_firms, search_firms
from tests.factories import FirmFactory

CLUSTER_URLS = [
    url.strip() for url in os.getenv("ELASTICSEARCH_CLUSTER_URLS", "").split(",") if url.strip()
]
SCRIPT = Path(__file__).resolve().parents[2] / ".ci" / "elasticsearch.sh"
STOP_SECONDS = 60  # the longest the searches during the stop may go on

pytestmark = [
    pytest.mark.skipif(
        len(CLUSTER_URLS) < 2,
        reason="ELASTICSEARCH_CLUSTER_URLS does not name two nodes of a cluster this test may stop "
        "one of (.ci/run sets it)",
    ),
    pytest.mark.django_db,
]


def node_script(command: str, url: str) -> subprocess.Popen:
    """Stop or start the node at this URL with the script that started it."""
    return subprocess.Popen(["bash", str(SCRIPT), command, str(urlsplit(url).port)])


def copies(admin: Elasticsearch, index: str) -> dict[str, str]:
    """Where the shard's copies are: {"p": node name, "r": node name}, started copies only."""
    rows = admin.cat.shards(index=index, format="json", h="prirep,state,node")
    return {row["prirep"]: row["node"] for row in rows if row["state"] == "STARTED"}


def concrete_index(admin: Elasticsearch, name: str) -> str:
    """The index behind a name that may be an alias (a reroute needs the index itself)."""
    return next(iter(admin.indices.get(index=name)))


def node_name(admin: Elasticsearch, url: str) -> str:
    port = urlsplit(url).port
    for node in admin.nodes.info(metric="http")["nodes"].values():
        if node["http"]["publish_address"].endswith(f":{port}"):
            return node["name"]
    raise AssertionError(f"no node of the cluster publishes {url}")


@pytest.fixture
def cluster(settings):
    """The app searches through the first node, the one that stays up."""
    settings.ELASTICSEARCH_URL = CLUSTER_URLS[0]
    settings.SUPPLIER_SEARCH_BACKEND = "suppliers.search.elasticsearch.ElasticsearchBackend"
    get_backend.cache_clear()
    admin = Elasticsearch(CLUSTER_URLS[0], request_timeout=60)
    health = admin.cluster.health(wait_for_nodes=str(len(CLUSTER_URLS)), timeout="60s")
    assert health["number_of_nodes"] == len(CLUSTER_URLS), health
    yield admin
    admin.close()


@pytest.fixture
def painters(reference_data):
    dordrecht = Municipality.objects.get(pk="GM0505")
    firms = [
        FirmFactory(organisation__name=f"Schildersbedrijf {name}", municipality=dordrecht)
        for name in ("De Kwast", "Van Dijk", "Kleurrijk", "Penseel & Zonen")
    ]
    index_firms([firm.pk for firm in firms])
    return dordrecht


def test_search_keeps_answering_from_the_other_node_when_one_stops(cluster, painters):
    index = get_backend().index_name
    cluster.cluster.health(index=index, wait_for_status="green", timeout="60s")
    assert set(copies(cluster, index)) == {"p", "r"}, "the firms index has no replica"
    query = SearchQuery(text="schilder", near=painters)
    before = search_firms(query)
    assert (before.backend, before.fallback, before.count) == ("elasticsearch", False, 4)

    # The primary on the node that stops, so that the copy left behind must take over.
    stopping = node_name(cluster, CLUSTER_URLS[1])
    placed = copies(cluster, index)
    if placed["p"] != stopping:
        cancel = {
            "index": concrete_index(cluster, index),
            "shard": 0,
            "node": placed["p"],
            "allow_primary": True,
        }
        cluster.cluster.reroute(commands=[{"cancel": cancel}], metric="none")
        cluster.cluster.health(index=index, wait_for_status="green", timeout="60s")
    assert copies(cluster, index) == {"p": stopping, "r": node_name(cluster, CLUSTER_URLS[0])}

    stop = node_script("stop-node", CLUSTER_URLS[1])
    try:
        answers = []
        started = time.monotonic()
        while stop.poll() is None and time.monotonic() - started < STOP_SECONDS:
            answers.append(search_firms(query))  # while the node shuts down
            time.sleep(0.05)
        assert stop.wait(timeout=STOP_SECONDS) == 0
        gone = cluster.cluster.health(wait_for_nodes=str(len(CLUSTER_URLS) - 1), timeout="30s")
        assert gone["number_of_nodes"] == len(CLUSTER_URLS) - 1
        answers.append(search_firms(query))  # the node gone

        for answer in answers:
            assert (answer.backend, answer.fallback) == ("elasticsearch", False)
            assert [hit.name for hit in answer.hits] == [hit.name for hit in before.hits]
            assert answer.count == 4
        assert copies(cluster, index) == {"p": node_name(cluster, CLUSTER_URLS[0])}
    finally:
        # Start it again, so the tests after this one have the cluster they had.
        assert node_script("start-node", CLUSTER_URLS[1]).wait(timeout=300) == 0
    health = cluster.cluster.health(wait_for_nodes=str(len(CLUSTER_URLS)), timeout="60s")
    assert health["number_of_nodes"] == len(CLUSTER_URLS)
