"""The Elasticsearch backend (``elasticsearch.dsl``), core features only (DESIGN §5).

The minimal distribution has no analysis plugins, so text is folded and split into words in Python
(``text.words``) exactly as for the database backend; the standard analyzer then only lower-cases.
The ranking of DESIGN §4.1 is expressed as a score without scripts: a function_score adds a
large weight per tier (filters on municipality, region and a geo_distance) on top of the text
score plus a weight for a name match; ties are broken by geo distance, name and KvK number.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property

from django.conf import settings
from elastic_transport import TransportError
from elasticsearch import ApiError, Elasticsearch, NotFoundError
from elasticsearch.dsl import (
    Boolean,
    Document,
    GeoPoint,
    Index,
    Integer,
    Keyword,
    Q,
    Search,
    Text,
)
from elasticsearch.dsl.function import SF
from elasticsearch.helpers import bulk

from suppliers.models import Firm, Size, size_range
from suppliers.search.activities import matched_cpv
from suppliers.search.base import (
    Hit,
    Progress,
    SearchBackend,
    SearchResult,
    SearchUnavailable,
    Tier,
    chunked,
)
from suppliers.search.documents import FirmDocument, firm_documents
from suppliers.search.query import Context, SearchQuery

BATCH = 500
# Score layers, far enough apart that a lower layer can never overtake a higher one, and small
# enough for float32 scores to keep the text score's precision.
TIER_WEIGHTS = {Tier.LOCAL: 40_000.0, Tier.REGION: 30_000.0, Tier.NEARBY: 20_000.0}
ELSEWHERE_WEIGHT = 10_000.0
NAME_MATCH_WEIGHT = 1_000.0


class FirmIndexDocument(Document):
    kvk_number = Keyword()
    name = Keyword(index=False)
    name_sort = Keyword()
    name_words = Text(analyzer="standard")
    body_words = Text(analyzer="standard")
    all_words = Text(analyzer="standard")
    municipality_code = Keyword()
    municipality_name = Keyword(index=False)
    region_code = Keyword()
    region_name = Keyword(index=False)
    location = GeoPoint()
    cpv_codes = Keyword()
    sbi_codes = Keyword()
    certifications = Keyword()
    employees = Integer()
    open_to_partnerships = Boolean()
    published = Boolean()


WRITE_TIMEOUT = 30.0  # seconds


class ElasticsearchBackend(SearchBackend):
    name = "elasticsearch"

    def __init__(self, url: str | None = None, index_name: str | None = None) -> None:
        self.url = url or settings.ELASTICSEARCH_URL
        self.index_name = index_name or f"{settings.ELASTICSEARCH_INDEX_PREFIX}-firms"

    @cached_property
    def client(self) -> Elasticsearch:
        """For searching: a short timeout, so a page falls back to the database quickly."""
        return Elasticsearch(
            self.url, request_timeout=settings.ELASTICSEARCH_TIMEOUT, max_retries=0
        )

    @cached_property
    def writer(self) -> Elasticsearch:
        """For creating, dropping and rebuilding the index (rare, or from a command): creating an
        index waits for its shard, which can take longer than a search or a save may wait."""
        return self.client.options(
            request_timeout=max(WRITE_TIMEOUT, settings.ELASTICSEARCH_TIMEOUT)
        )

    # Searching --------------------------------------------------------------------------------

    def search(self, query: SearchQuery) -> SearchResult:
        context = Context.for_query(query)
        search = (
            Search(using=self.client, index=self.index_name)
            .query(self._scored_query(query, context))
            .extra(track_total_hits=True, from_=query.offset, size=query.limit)
            .source(
                [
                    "kvk_number",
                    "name",
                    "municipality_code",
                    "municipality_name",
                    "region_code",
                    "region_name",
                ]
            )
        )
        sort: list[object] = ["_score"]
        if context is not None:
            sort.append(
                {
                    "_geo_distance": {
                        "location": {"lat": context.latitude, "lon": context.longitude},
                        "order": "asc",
                        "unit": "km",
                        "distance_type": "arc",
                    }
                }
            )
        if context is not None and query.facets:  # tier counts are facets, as in the database
            search.aggs.bucket("tiers", "filters", filters=self._tier_filters(context))
        if query.facets:
            search.aggs.bucket(
                "division", "terms", field="cpv_codes", include="[0-9]{2}000000", size=100
            )
            search.aggs.bucket(
                "size",
                "range",
                field="employees",
                keyed=True,
                ranges=[
                    {"key": size, "from": low, **({"to": high} if high is not None else {})}
                    for size in Size.values
                    for low, high in [size_range(size)]
                ],
            )
        sort += [{"name_sort": "asc"}, {"kvk_number": "asc"}]
        try:
            response = search.sort(*sort).execute()
        except TransportError as error:  # unreachable, timed out
            raise SearchUnavailable(str(error)) from error
        except NotFoundError as error:  # no index yet: rebuild_supplier_index has not run
            raise SearchUnavailable(str(error)) from error
        except ApiError as error:
            if error.meta.status >= 500 or error.meta.status == 429:  # down or overloaded
                raise SearchUnavailable(str(error)) from error
            raise
        matched = matched_cpv(query, [int(hit.meta.id) for hit in response.hits])
        hits = []
        for hit in response.hits:
            distance = hit.meta.sort[1] if context is not None else None
            score = hit.meta.score or 0.0
            hits.append(
                Hit(
                    firm_id=int(hit.meta.id),
                    kvk_number=hit.kvk_number,
                    name=hit.name,
                    municipality_code=hit.municipality_code,
                    municipality_name=hit.municipality_name,
                    region_name=hit.region_name,
                    tier=context.tier_of(hit.municipality_code, hit.region_code, distance)
                    if context is not None
                    else None,
                    distance_km=distance,
                    name_match=bool(query.words) and score % ELSEWHERE_WEIGHT >= NAME_MATCH_WEIGHT,
                    matched_cpv=matched.get(int(hit.meta.id), ()),
                )
            )
        tier_counts = {}
        if context is not None and query.facets:
            buckets = response.aggregations.tiers.buckets
            tier_counts = {
                Tier(int(key)): bucket.doc_count for key, bucket in buckets.to_dict().items()
            }
            tier_counts = {t: n for t, n in tier_counts.items() if n}
        facets = {}
        if query.facets:
            aggs = response.aggregations
            facets = {
                "division": {b.key: b.doc_count for b in aggs.division.buckets},
                "size": {
                    key: bucket["doc_count"]
                    for key, bucket in aggs.size.buckets.to_dict().items()
                    if bucket["doc_count"]
                },
            }
        return SearchResult(
            count=response.hits.total.value,
            hits=hits,
            backend=self.name,
            tier_counts=tier_counts,
            facets=facets,
        )

    def _scored_query(self, query: SearchQuery, context: Context | None):
        filters = [Q("term", published=True)]
        if query.cpv:
            filters.append(Q("terms", cpv_codes=query.cpv_subtrees))
        if query.sizes:
            ranges = []
            for size in query.sizes:
                low, high = size_range(size)
                bounds = {"gte": low, **({"lt": high} if high is not None else {})}
                ranges.append(Q("range", employees=bounds))
            filters.append(Q("bool", should=ranges, minimum_should_match=1))
        if query.certifications:
            filters.append(Q("terms", certifications=list(query.certifications)))
        if query.open_to_partnerships:
            filters.append(Q("term", open_to_partnerships=True))

        text_words = query.words
        if text_words:
            # Relevance is the name match alone, as in the database backend (docs/decisions.md):
            # the text only filters, so within a tier distance decides after the name match.
            text = Q("bool", filter=[*self._word_queries("all_words", text_words), *filters])
            relevance = Q(
                "function_score",
                query=Q("constant_score", filter=text, boost=1.0),
                functions=[
                    SF(
                        {
                            "filter": Q(
                                "bool", filter=self._word_queries("name_words", text_words)
                            ),
                            "weight": NAME_MATCH_WEIGHT,
                        }
                    ),
                ],
                score_mode="sum",
                boost_mode="sum",
            )
        else:
            relevance = Q("constant_score", filter=Q("bool", filter=filters), boost=1.0)
        if context is None:
            return relevance
        return Q(
            "function_score",
            query=relevance,
            functions=[
                SF({"filter": q, "weight": TIER_WEIGHTS[tier]})
                for tier, q in self._tier_conditions(context).items()
            ]
            + [SF({"weight": ELSEWHERE_WEIGHT})],
            score_mode="max",
            boost_mode="sum",
        )

    @staticmethod
    def _word_queries(field: str, text_words: list[str]) -> list[object]:
        """Every word must match a whole word; the last may be a prefix."""
        queries = [Q("term", **{field: word}) for word in text_words[:-1]]
        return [*queries, Q("prefix", **{field: text_words[-1]})]

    @staticmethod
    def _tier_conditions(context: Context) -> dict[Tier, object]:
        return {
            Tier.LOCAL: Q("term", municipality_code=context.code),
            Tier.REGION: Q("term", region_code=context.region_code),
            # A radius of 0 km makes nothing "nearby" (Elasticsearch refuses a zero distance).
            Tier.NEARBY: Q(
                "geo_distance",
                distance=f"{context.radius_km}km",
                distance_type="arc",
                location={"lat": context.latitude, "lon": context.longitude},
            )
            if context.radius_km > 0
            else Q("match_none"),
        }

    def _tier_filters(self, context: Context) -> dict[str, dict]:
        local, region, nearby = self._tier_conditions(context).values()
        return {
            "0": local.to_dict(),
            "1": Q("bool", filter=[region], must_not=[local]).to_dict(),
            "2": Q("bool", filter=[nearby], must_not=[local, region]).to_dict(),
            "3": Q("bool", must_not=[local, region, nearby]).to_dict(),
        }

    # Indexing ---------------------------------------------------------------------------------

    def create_index(self) -> None:
        # One shard: the same text statistics for every document, so scores compare exactly.
        index = Index(self.index_name, using=self.writer)
        index.settings(number_of_shards=1, number_of_replicas=settings.ELASTICSEARCH_REPLICAS)
        index.document(FirmIndexDocument)
        index.create()

    def ensure_index(self) -> None:
        if not self.client.indices.exists(index=self.index_name):
            self.create_index()

    def index(self, firm_ids: Iterable[int]) -> None:
        ids = list(firm_ids)
        if not ids:
            return
        self.ensure_index()
        documents = firm_documents(ids)
        found = {doc.firm_id for doc in documents}
        actions = [self._action(doc) for doc in documents]
        actions += [
            {"_op_type": "delete", "_index": self.index_name, "_id": firm_id}
            for firm_id in ids
            if firm_id not in found
        ]
        # Searchable at once: a firm that just saved its profile expects to find itself.
        bulk(self.client, actions, refresh=True, raise_on_error=False)

    def _action(self, doc: FirmDocument) -> dict:
        source = {
            "kvk_number": doc.kvk_number,
            "name": doc.name,
            "name_sort": doc.name.lower(),
            "name_words": doc.name_words,
            "body_words": doc.body_words,
            "all_words": f"{doc.name_words} {doc.body_words}",
            "municipality_code": doc.municipality_code,
            "municipality_name": doc.municipality_name,
            "region_code": doc.region_code,
            "region_name": doc.region_name,
            "location": {"lat": doc.latitude, "lon": doc.longitude},
            "cpv_codes": doc.cpv_with_ancestors,
            "sbi_codes": doc.sbi_codes,
            "certifications": doc.certifications,
            "employees": doc.employees,
            "open_to_partnerships": doc.open_to_partnerships,
            "published": doc.published,
        }
        return {"_index": self.index_name, "_id": doc.firm_id, "_source": source}

    def rebuild(self, progress: Progress | None = None) -> int:
        if self.writer.indices.exists(index=self.index_name):
            self.writer.indices.delete(index=self.index_name)
        self.create_index()
        ids = list(Firm.objects.order_by("pk").values_list("pk", flat=True))
        done = 0
        for chunk in chunked(ids, BATCH):
            documents = firm_documents(chunk)
            bulk(self.writer, [self._action(doc) for doc in documents], refresh=False)
            done += len(chunk)
            if progress is not None:
                progress(done)
        self.writer.indices.refresh(index=self.index_name)
        return done
