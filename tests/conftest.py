"""The shared test world: test-only settings, reference data, and the named cast of STYLE.md."""

from __future__ import annotations

import functools
import os

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils import translation

from marketplace.models import Municipality, Organisation, Role
from marketplace.reference_data import reference_data_load
from suppliers.search import database_backend, get_backend
from tests.factories import (
    BuyerOrganisationFactory,
    FirmFactory,
    MembershipFactory,
    UserFactory,
)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Transactional tests that restore the migrations' rows (``serialized_rollback=True``) run
    before the other transactional tests, after pytest-django's own ordering. A plain
    transactional test's flush lets Django re-create the content types under new ids, and a
    restore after it then collides with them ("duplicate key ... django_content_type")."""

    def restores(item: pytest.Item) -> bool:
        marker = item.get_closest_marker("django_db")
        return bool(marker and marker.kwargs.get("serialized_rollback"))

    first = next((i for i, item in enumerate(items) if _transactional(item)), len(items))
    tail = items[first:]
    items[first:] = [item for item in tail if restores(item)] + [
        item for item in tail if not restores(item)
    ]


def _transactional(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    kwargs = marker.kwargs if marker else {}
    fixtures = getattr(item, "fixturenames", ())
    return bool(
        kwargs.get("transaction")
        or kwargs.get("reset_sequences")
        or "transactional_db" in fixtures
        or "live_server" in fixtures
    )


def pytest_report_header(config) -> list[str]:
    """Say in the log which database and which search engine this run uses."""
    lines = [f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}"]
    url = settings.ELASTICSEARCH_URL
    if not url:
        return [*lines, "elasticsearch: not configured (ELASTICSEARCH_URL unset)"]
    try:
        from elasticsearch import Elasticsearch

        health = Elasticsearch(url, request_timeout=5).cluster.health()
        lines.append(f"elasticsearch: {url} answered, cluster status {health['status']}")
    except Exception as error:  # noqa: BLE001 - the header reports, the tests decide
        lines.append(f"elasticsearch: {url} did not answer ({error.__class__.__name__})")
    return lines


# Playwright's sync API runs an event loop in the test thread; Django must still allow ORM calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


# Tests never touch a developer's Elasticsearch indexes: their own prefix, removed at the end.
TEST_INDEX_PREFIX = f"dichtbij-test-{os.getpid()}"


@pytest.fixture(autouse=True)
def _test_settings(settings):
    cache.clear()  # cached tender lists of an earlier test (its rows are rolled back)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.ELASTICSEARCH_INDEX_PREFIX = TEST_INDEX_PREFIX
    get_backend.cache_clear()
    database_backend.cache_clear()
    translation.activate(settings.LANGUAGE_CODE)  # a test's English request must not leak
    if settings.ELASTICSEARCH_URL:
        # The database rolls back after each test; the Elasticsearch index must start empty too.
        _elasticsearch().indices.delete(index=f"{TEST_INDEX_PREFIX}-firms", ignore_unavailable=True)
    yield
    translation.activate(settings.LANGUAGE_CODE)
    get_backend.cache_clear()
    database_backend.cache_clear()


@functools.cache
def _elasticsearch():
    from elasticsearch import Elasticsearch

    return Elasticsearch(os.environ["ELASTICSEARCH_URL"], request_timeout=10)


@pytest.fixture(scope="session", autouse=True)
def _remove_test_indexes():
    yield
    if os.environ.get("ELASTICSEARCH_URL"):
        _elasticsearch().indices.delete(
            index=f"{TEST_INDEX_PREFIX}-*", ignore_unavailable=True, allow_no_indices=True
        )


# What the migrations put in the database (Wagtail's page tree and site, the editor groups, ...).
_BASELINE: dict[str, str] = {}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Keep the migrations' rows for transactional tests, then load the real reference data once."""
    with django_db_blocker.unblock():
        _BASELINE[DEFAULT_DB_ALIAS] = connection.creation.serialize_db_to_string()
        reference_data_load()


@pytest.fixture
def reference_data(db):
    """Reference data present, also after a transactional test emptied the database."""
    if not Municipality.objects.exists():
        reference_data_load()


@pytest.fixture
def baseline_data(transactional_db):
    """For transactional (browser) tests, marked ``serialized_rollback=True``: Django restores the
    migrations' rows before each test from a copy kept on the connection. Playwright's event loop
    can hand the test a connection without that copy, so give it ours; reference data is reloaded
    after a flush."""
    for alias, contents in _BASELINE.items():
        connections[alias]._test_serialized_contents = contents
    if not Municipality.objects.exists():
        reference_data_load()
    # The next restore builds Wagtail pages, whose constructor looks up its content type: with a
    # cold cache it would create the row the restore then inserts again.
    # Ids cached by earlier tests may be of rows this database no longer has (PostgreSQL).
    ContentType.objects.clear_cache()
    ContentType.objects.get_for_models(*apps.get_models())


@pytest.fixture
def english_client(client):
    """The test client, asking for the English pages (the language cookie): tests that read it
    pass before and after the Dutch translations are compiled."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def dordrecht(reference_data) -> Municipality:
    return Municipality.objects.get(pk="GM0505")


@pytest.fixture
def zwijndrecht(reference_data) -> Municipality:
    return Municipality.objects.get(pk="GM0642")


@pytest.fixture
def buyer_org(dordrecht) -> Organisation:
    return BuyerOrganisationFactory(name="Gemeente Dordrecht", municipality=dordrecht)


@pytest.fixture
def other_buyer_org(zwijndrecht) -> Organisation:
    return BuyerOrganisationFactory(name="Gemeente Zwijndrecht", municipality=zwijndrecht)


@pytest.fixture
def buyer(buyer_org):
    """Alice: a buyer (administrator) of Dordrecht."""
    user = UserFactory(email="alice@dordrecht.example", first_name="Alice")
    MembershipFactory(user=user, organisation=buyer_org, role=Role.BUYER_ADMIN)
    return user


@pytest.fixture
def second_buyer(buyer_org):
    """Bob: a second buyer of Dordrecht, for four-eyes steps."""
    user = UserFactory(email="bob@dordrecht.example", first_name="Bob")
    MembershipFactory(user=user, organisation=buyer_org, role=Role.BUYER)
    return user


@pytest.fixture
def other_buyer(other_buyer_org):
    """Charlie: a buyer of another municipality (Zwijndrecht)."""
    user = UserFactory(email="charlie@zwijndrecht.example", first_name="Charlie")
    MembershipFactory(user=user, organisation=other_buyer_org, role=Role.BUYER_ADMIN)
    return user


@pytest.fixture
def firm(dordrecht):
    return FirmFactory(organisation__name="Schildersbedrijf De Kwast", municipality=dordrecht)


@pytest.fixture
def other_firm(reference_data):
    return FirmFactory(
        organisation__name="Bouwbedrijf Elders", municipality=Municipality.objects.get(pk="GM0599")
    )


@pytest.fixture
def firm_user(firm):
    """Dana: the administrator of a painter's firm in Dordrecht."""
    user = UserFactory(email="dana@firma.example", first_name="Dana")
    MembershipFactory(user=user, organisation=firm.organisation, role=Role.FIRM_ADMIN)
    return user


@pytest.fixture
def other_firm_user(other_firm):
    """Erik: the administrator of another firm."""
    user = UserFactory(email="erik@elders.example", first_name="Erik")
    MembershipFactory(user=user, organisation=other_firm.organisation, role=Role.FIRM_ADMIN)
    return user


@pytest.fixture
def editor(db):
    """Fenna: a Wagtail editor."""
    from django.contrib.auth.models import Group

    user = UserFactory(email="fenna@dichtbij.example", first_name="Fenna")
    user.groups.add(Group.objects.get(name="Editors"))
    return user
