"""The finance-export upload (issue 14 point 2): the municipality's buyer administrators only,
the same import and report as ``import_spend``."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from marketplace.models import AuditEvent
from tenders.models import SpendLine

pytestmark = pytest.mark.django_db

URL = "/monitor/GM0505/import/"
HEADER = "date;supplier_kvk;supplier_name;supplier_postcode;amount;description;invoice\n"
EXPORT = (
    HEADER
    + "2025-03-01;;Schilder Dordt;3311;1.234,56;Schilderwerk;F-1\n"
    + "2025-03-02;;;;10,00;Zonder leverancier;F-2\n"
    + "2025-03-03;;Drukkerij;3311;tien euro;Folders;F-3\n"
)


def upload(client, data: bytes = EXPORT.encode(), name: str = "export.csv", **extra):
    return client.post(URL, {"file": SimpleUploadedFile(name, data, "text/csv"), **extra})


def test_a_buyer_administrator_imports_and_sees_the_bad_lines(client, buyer):
    client.force_login(buyer)

    response = upload(client)

    text = response.content.decode()
    assert response.status_code == 200
    assert SpendLine.objects.filter(municipality_id="GM0505").count() == 1
    assert "geen leverancier: geef een KvK-nummer, een naam of een postcode" in text
    assert "bedrag is geen getal in euro’s: tien euro" in text
    assert ">3<" in text and ">4<" in text  # their line numbers
    event = AuditEvent.objects.get(action="spend.imported")
    assert event.details["created"] == 1
    assert event.actor == buyer


def test_a_check_saves_nothing_and_shows_the_same_report(client, buyer):
    client.force_login(buyer)

    response = upload(client, dry_run="on")

    assert "bedrag is geen getal in euro’s: tien euro" in response.content.decode()
    assert SpendLine.objects.count() == 0
    assert not AuditEvent.objects.filter(action="spend.imported").exists()


def test_a_file_that_is_not_utf8_is_refused_with_the_reason(client, buyer):
    client.force_login(buyer)

    response = upload(client, data=HEADER.encode() + "2025-01-01;;Café;;1,00;;\n".encode("latin-1"))

    assert response.status_code == 400
    assert "UTF-8" in response.content.decode()
    assert SpendLine.objects.count() == 0


def test_a_file_that_is_no_csv_is_refused(client, buyer):
    client.force_login(buyer)

    response = upload(client, name="export.xlsx")

    assert response.status_code == 400
    assert SpendLine.objects.count() == 0


def test_a_buyer_without_the_administrator_role_is_refused(client, second_buyer):
    client.force_login(second_buyer)

    assert client.get(URL).status_code == 403
    assert upload(client).status_code == 403
    assert SpendLine.objects.count() == 0


def test_another_municipality_cannot_import_for_dordrecht(client, other_buyer):
    client.force_login(other_buyer)

    assert client.get(URL).status_code == 404
    assert upload(client).status_code == 404
    assert SpendLine.objects.count() == 0


def test_a_firm_and_an_anonymous_visitor_are_refused(client, firm_user):
    anonymous = client.get(URL)
    assert anonymous.status_code == 302
    assert "/accounts/login/" in anonymous["Location"]

    client.force_login(firm_user)
    assert upload(client).status_code == 404
    assert SpendLine.objects.count() == 0


def test_the_figures_page_links_the_upload_for_administrators_only(client, buyer, second_buyer):
    assert URL not in client.get("/monitor/GM0505/").content.decode()
    client.force_login(second_buyer)
    assert URL not in client.get("/monitor/GM0505/").content.decode()
    client.force_login(buyer)
    assert URL in client.get("/monitor/GM0505/").content.decode()
