"""Issue 17.2: concurrent writes never answer 500. SQLite takes the write lock at BEGIN and waits
for it; what still times out (on either engine) gets a friendly 503 with Retry-After."""

from __future__ import annotations

import threading

import pytest
from django.conf import settings
from django.db import OperationalError, close_old_connections, connection
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from marketplace.middleware import BusyDatabaseMiddleware
from tenders.models import Quote
from tests.tenders.factories_vault import SECRET_NOTE, open_tender, pdf_upload


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite settings")
def test_sqlite_writes_take_the_lock_at_begin_and_wait_for_it():
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 5


@pytest.mark.parametrize("message", ["database is locked", "database table is locked"])
def test_a_lock_that_timed_out_gets_the_try_again_page(message):
    middleware = BusyDatabaseMiddleware(lambda request: None)
    with translation.override("nl"):
        response = middleware.process_exception(
            RequestFactory().post("/tenders/1/quote/"), OperationalError(message)
        )

    assert response.status_code == 503
    assert response["Retry-After"] == "2"
    assert "Probeer het nog eens" in response.content.decode()


def test_other_database_errors_stay_errors():
    middleware = BusyDatabaseMiddleware(lambda request: None)
    request = RequestFactory().get("/")
    assert middleware.process_exception(request, OperationalError("no such table: x")) is None


def parallel(count: int, work) -> list:
    results: list = [None] * count
    start = threading.Barrier(count)

    def run(index: int) -> None:
        try:
            start.wait()
            results[index] = work(index)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


@pytest.mark.django_db(transaction=True)
def test_two_quotes_of_one_firm_at_once_no_500_and_one_quote_stands(
    reference_data, buyer_org, firm, firm_user
):
    tender = open_tender(buyer_org, title="Schilderwerk stadhuis")
    url = reverse("tenders:quote_submit", args=[tender.pk])
    clients = [Client(), Client()]
    for client in clients:
        client.force_login(firm_user)

    def send(index: int) -> int:
        client = clients[index]
        total = f"{48000 + index},00"
        return client.post(
            url, {"total": total, "note": SECRET_NOTE, "files": [pdf_upload()]}
        ).status_code

    for _round in range(3):
        statuses = parallel(2, send)
        assert set(statuses) <= {302, 503}, statuses
        assert 302 in statuses
    assert Quote.objects.filter(tender=tender, firm=firm, status="submitted").count() == 1
