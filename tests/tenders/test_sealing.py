"""The vault's sealing (tenders.vault) and its only unsealing path (tenders.selectors.vault)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from tenders import vault
from tenders.models import Quote, VaultOpening
from tenders.selectors.vault import (
    QuoteContents,
    VaultSealed,
    quote_contents,
    sealed_contents,
    vault_is_open,
)
from tests.tenders.factories import TenderFactory

PRICE = "48213.77"


def test_a_sealed_value_does_not_contain_its_plain_text():
    token = vault.seal(f"price {PRICE}".encode())
    assert PRICE.encode() not in token
    assert vault.unseal(token) == f"price {PRICE}".encode()


def test_sealing_twice_gives_different_tokens():
    assert vault.seal(b"same") != vault.seal(b"same")


def test_a_token_sealed_with_another_key_does_not_open(settings):
    settings.VAULT_KEY = "the-first-secret-of-at-least-some-length"
    token = vault.seal(b"secret")
    settings.VAULT_KEY = "a-completely-different-secret-key-value"
    with pytest.raises(vault.VaultKeyError):
        vault.unseal(token)


def test_a_changed_token_does_not_open():
    token = bytearray(vault.seal(b"secret"))
    token[40] = ord("A") if token[40] != ord("A") else ord("B")
    with pytest.raises(vault.VaultKeyError):
        vault.unseal(bytes(token))


def test_key_rotation_reseals_with_the_first_key(settings):
    settings.VAULT_KEY = "old-secret-old-secret-old-secret"
    token = vault.seal_json({"total": PRICE})
    settings.VAULT_KEY = "new-secret-new-secret-new-secret,old-secret-old-secret-old-secret"
    assert vault.unseal_json(token) == {"total": PRICE}
    rotated = vault.rotate(token)
    settings.VAULT_KEY = "new-secret-new-secret-new-secret"
    assert vault.unseal_json(rotated) == {"total": PRICE}
    with pytest.raises(vault.VaultKeyError):
        vault.unseal(token)


def test_an_empty_vault_key_is_refused(settings):
    settings.VAULT_KEY = " , "
    with pytest.raises(vault.VaultKeyError):
        vault.seal(b"x")


def _quote(tender, firm, total: str) -> Quote:
    contents = QuoteContents(total=Decimal(total), lots={1: Decimal(total)}, note="Snel klaar")
    return Quote.objects.create(
        tender=tender,
        firm=firm,
        receipt_code=f"R-{firm.pk}-{total}",
        sealed=sealed_contents(tender=tender, firm_id=firm.pk, contents=contents),
    )


@pytest.mark.django_db
def test_quote_contents_stay_sealed_until_the_vault_is_opened(buyer, firm):
    tender = TenderFactory(buyer=buyer.memberships.get().organisation, published=True)
    quote = _quote(tender, firm, PRICE)
    assert not vault_is_open(tender)
    with pytest.raises(VaultSealed):
        quote_contents(quote)

    # A requested but unconfirmed opening is not an opening.
    opening = VaultOpening.objects.create(tender=tender, requested_by=buyer)
    with pytest.raises(VaultSealed):
        quote_contents(quote)

    opening.confirmed_by = buyer
    opening.four_eyes = False
    opening.opened_at = timezone.now()
    opening.save()
    contents = quote_contents(quote)
    assert vault_is_open(tender)
    assert contents.total == Decimal(PRICE)
    assert contents.lots == {1: Decimal(PRICE)}
    assert contents.note == "Snel klaar"


@pytest.mark.django_db
def test_sealed_contents_copied_to_another_quote_are_refused(buyer, firm, other_firm):
    tender = TenderFactory(buyer=buyer.memberships.get().organisation, published=True)
    cheap = _quote(tender, firm, "1000.00")
    dear = _quote(tender, other_firm, "9000.00")
    VaultOpening.objects.create(
        tender=tender, requested_by=buyer, four_eyes=False, opened_at=timezone.now()
    )
    dear.sealed = cheap.sealed  # someone with database access swaps the sealed prices
    with pytest.raises(vault.VaultKeyError):
        quote_contents(dear)
