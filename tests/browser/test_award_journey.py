"""Issue 5 in a real browser — journeys J1 and J2 of DESIGN §2 end to end.

The buyer creates a meervoudig onderhandse painting tender, lets the invitation assistant propose
local firms, replaces one pick (with a reason) and publishes. Two invited local painters send
sealed quotes; one replaces its quote. The clock passes the deadline. Buyer one asks to open the
vault, buyer two confirms. The buyer scores quality, the ranking follows the published weights,
the buyer awards; both firms see the decision on the tender's page and the award notice PDF.
axe-core checks the new pages on the way."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from marketplace.models import Role
from tenders.models import Award, Invitation, Quote, Status, Tender
from tests.browser.conftest import assert_accessible, log_in
from tests.factories import PASSWORD, MembershipFactory, UserFactory
from tests.i18n import nl
from tests.tenders.factories_invite import painter
from tests.tenders.factories_vault import marked_pdf

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TITLE = "Schilderwerk brandweerkazerne"


def picker_value(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def firm_user(firm, email: str):
    user = UserFactory(email=email)
    MembershipFactory(user=user, organisation=firm.organisation, role=Role.FIRM_ADMIN)
    return user


def log_out(page: Page) -> None:
    page.get_by_role("button", name=nl("Log out")).click()


def send_quote(page: Page, live_server, tender: Tender, price: str, pdf_path) -> None:
    page.goto(f"{live_server.url}/tenders/{tender.pk}/")
    page.get_by_role("link", name=nl("Send a quote")).click()
    assert_accessible(page)
    page.get_by_label(nl("Your price (excl. VAT)")).fill(price)
    page.get_by_label(nl("Your quote documents (PDF)")).set_input_files(str(pdf_path))
    page.get_by_role("button", name=nl("Send quote")).click()


def test_buyer_invites_firms_quote_vault_opens_with_four_eyes_and_the_award_reaches_both(
    page: Page, live_server, buyer, second_buyer, baseline_data, console_errors, tmp_path
):
    page.set_default_timeout(15_000)
    # The supplier index: three painters in Dordrecht, two in the region, one in Rotterdam.
    kwast = painter("Schildersbedrijf De Kwast", "GM0505")
    verfwerk = painter("Verfwerk Merwede", "GM0505", km_north=1.5)
    painter("Schilderwerken Wielwijk", "GM0505", km_north=3.0)
    painter("Kleur & Co Zwijndrecht", "GM0642")
    painter("Schilder Papendrecht", "GM0590")
    rotterdam = painter("Rotterdamse Verfmeesters", "GM0599")
    dana = firm_user(kwast, "dana@kwast.example")
    erik = firm_user(verfwerk, "erik@verfwerk.example")
    pdf = tmp_path / "offerte.pdf"
    pdf.write_bytes(marked_pdf("Offerte schilderwerk"))

    # J1: the buyer creates the tender, step by step, price-quality 60/40.
    log_in(page, live_server, buyer.email, PASSWORD)
    page.goto(live_server.url + "/tenders/new/")
    page.get_by_label(nl("Title"), exact=True).fill(TITLE)
    page.get_by_label(nl("Description")).first.fill("Buitenschilderwerk van de kazerne.")
    page.get_by_label(nl("Works"), exact=True).check()
    page.get_by_label(nl("Main CPV code"), exact=True).fill("45442100")
    page.get_by_role("button", name=nl("Save and continue")).click()
    page.get_by_label(nl("Estimated value (excl. VAT)"), exact=True).fill("90.000")
    page.get_by_role("button", name=nl("Save and continue")).click()
    page.get_by_label(nl("Multiple-quote procedure")).check()
    page.get_by_role("button", name=nl("Save and continue")).click()
    deadline = (timezone.now() + timedelta(days=3)).replace(second=0, microsecond=0)
    page.get_by_label(nl("Deadline for questions")).fill(picker_value(deadline - timedelta(days=1)))
    page.get_by_label(nl("Deadline for quotes")).fill(picker_value(deadline))
    page.get_by_label(nl("Best price-quality ratio")).check()
    page.get_by_label(nl("Criterion")).nth(0).fill("Prijs")
    page.get_by_label(nl("Weight")).nth(0).fill("60")
    weights = page.locator("[data-weights-total]")
    so_far = nl("Weights so far: %(total)s of 100")
    expect(weights).to_have_text(so_far % {"total": 60})  # while typing, before saving
    page.get_by_label(nl("Criterion")).nth(1).fill("Kwaliteit")
    page.get_by_label(nl("Weight")).nth(1).fill("40")
    expect(weights).to_have_text(so_far % {"total": 100})
    page.get_by_label(nl("Contact person")).fill("Alice de Vries")
    page.get_by_label(nl("Contact e-mail address")).fill("alice@dordrecht.example")
    page.get_by_role("button", name=nl("Save and continue")).click()
    page.get_by_role("link", name=nl("Continue to the invitations")).click()

    # The assistant proposes four firms, local first, each with its reason.
    page.get_by_role("button", name=nl("Make a proposal")).click()
    tender = Tender.objects.get(title=TITLE)
    shortlist = page.get_by_role("table").first
    expect(shortlist.get_by_role("row")).to_have_count(5)  # header + 4 picks
    expect(shortlist.get_by_role("rowheader").first).to_contain_text(kwast.name)
    expect(shortlist).to_contain_text(nl("Local · %(place)s") % {"place": "Dordrecht"})
    assert_accessible(page)
    proposed = list(tender.invitations.values_list("firm__organisation__name", flat=True))
    assert proposed[:2] == [kwast.name, verfwerk.name]
    assert rotterdam.name not in proposed

    # The buyer replaces the last pick by the Rotterdam firm, with a reason.
    last = proposed[-1]
    page.get_by_role("link", name=f"{nl('Replace')} {last}").click()
    page.get_by_label(nl("Or another firm's KvK number")).fill(rotterdam.kvk_number)
    page.get_by_label(nl("Reason")).fill("Heeft de kazerne in 2019 geschilderd.")
    page.get_by_role("button", name=nl("Replace"), exact=True).click()
    expect(page.get_by_role("table").first).to_contain_text(rotterdam.name)
    justification = page.get_by_role("table").nth(1)
    expect(justification).to_contain_text("Heeft de kazerne in 2019 geschilderd.")
    page.get_by_role("link", name=nl("Continue to review")).click()
    page.get_by_role("button", name=nl("Publish"), exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/tenders/{tender.pk}/")
    tender.refresh_from_db()
    assert tender.status == Status.PUBLISHED
    invited = set(tender.invitations.values_list("firm__organisation__name", flat=True))
    assert invited == {*proposed[:-1], rotterdam.name}
    assert not Invitation.objects.filter(tender=tender, sent_at__isnull=True).exists()
    log_out(page)

    # J2: the first firm finds the invitation on its dashboard and sends a quote.
    log_in(page, live_server, dana.email, PASSWORD)
    page.goto(live_server.url + "/tenders/firm/")
    # First under "Nu te doen" (invited, no quote yet), then under the invitations.
    expect(page.get_by_role("link", name=TITLE)).to_have_count(2)
    expect(page.get_by_text(nl("You are invited"))).to_be_visible()
    send_quote(page, live_server, tender, "71.250,00", pdf)
    expect(page.get_by_role("heading", level=1)).to_contain_text(nl("Receipt of your quote"))
    assert_accessible(page)
    log_out(page)

    # The second firm sends a quote, then replaces it before the deadline.
    log_in(page, live_server, erik.email, PASSWORD)
    send_quote(page, live_server, tender, "79.900", pdf)
    page.goto(f"{live_server.url}/tenders/{tender.pk}/")
    page.get_by_role("link", name=nl("Replace your quote")).click()
    page.get_by_label(nl("Your price (excl. VAT)")).fill("68.400,50")
    page.get_by_label(nl("Your quote documents (PDF)")).set_input_files(str(pdf))
    page.get_by_role("button", name=nl("Replace my quote")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(nl("Receipt of your quote"))
    log_out(page)
    assert Quote.objects.filter(tender=tender, status=Quote.Status.SUBMITTED).count() == 2
    assert Quote.objects.filter(tender=tender, status=Quote.Status.REPLACED).count() == 1

    # Before the deadline the buyer sees neither prices nor a count.
    log_in(page, live_server, buyer.email, PASSWORD)
    response = page.goto(f"{live_server.url}/tenders/{tender.pk}/quotes/")
    assert response.status == 403
    assert "68.400" not in page.content() and "71.250" not in page.content()
    log_out(page)

    # The clock passes the deadline.
    with time_machine.travel(deadline + timedelta(minutes=5), tick=True):
        # Buyer one asks to open the vault; the same buyer cannot confirm.
        log_in(page, live_server, buyer.email, PASSWORD)
        page.goto(f"{live_server.url}/tenders/{tender.pk}/")
        page.get_by_role("link", name=nl("Open the quotes")).click()
        assert_accessible(page)
        page.get_by_role("button", name=nl("Ask to open the quotes")).click()
        expect(page.get_by_role("button", name=nl("Confirm the opening"))).to_have_count(0)
        log_out(page)

        # Buyer two confirms; the quotes are readable now.
        log_in(page, live_server, second_buyer.email, PASSWORD)
        page.goto(f"{live_server.url}/tenders/{tender.pk}/opening/")
        page.get_by_role("button", name=nl("Confirm the opening")).click()
        page.goto(f"{live_server.url}/tenders/{tender.pk}/quotes/")
        expect(page.get_by_text("68.400,50").first).to_be_visible()
        expect(page.get_by_text("71.250,00").first).to_be_visible()
        assert "79.900" not in page.content()  # the replaced quote is gone
        log_out(page)

        # The buyer scores quality; price points follow from the prices; the buyer awards.
        log_in(page, live_server, buyer.email, PASSWORD)
        page.goto(f"{live_server.url}/tenders/{tender.pk}/evaluation/")
        page.get_by_label(f"Kwaliteit · {kwast.name}").fill("9")
        page.get_by_label(f"Kwaliteit · {verfwerk.name}").fill("6,5")
        page.get_by_role("button", name=nl("Save scores")).click()
        assert_accessible(page)
        # De Kwast: 60 × 68,400.50 / 71,250 + 40 × 0.9 = 57.60 + 36 = 93.60
        # Verfwerk: 60 + 40 × 0.65 = 86.00 → De Kwast ranks first despite the higher price.
        expect(page.get_by_text("93,60").first).to_be_visible()
        page.get_by_role("link", name=nl("Decide the award")).click()
        page.get_by_label(nl("Motivation")).fill(
            "De Kwast heeft de beste prijs-kwaliteitverhouding volgens de gepubliceerde criteria."
        )
        page.get_by_role("button", name=nl("Award to %(firm)s") % {"firm": kwast.name}).click()
        tender.refresh_from_db()
        assert tender.status == Status.AWARDED
        assert Award.objects.get(tender=tender).firm_id == kwast.pk
        log_out(page)

        # Both firms see the decision.
        log_in(page, live_server, dana.email, PASSWORD)
        page.goto(f"{live_server.url}/tenders/{tender.pk}/")
        outcome = page.locator("#outcome")
        expect(outcome).to_contain_text(nl("%(firm)s won this tender.") % {"firm": kwast.name})
        assert_accessible(page)
        log_out(page)

        log_in(page, live_server, erik.email, PASSWORD)
        page.goto(f"{live_server.url}/tenders/{tender.pk}/")
        outcome = page.locator("#outcome")
        expect(outcome).to_contain_text(
            nl("%(firm)s ranks %(rank)s of %(ranked)s.")
            % {"firm": verfwerk.name, "rank": 2, "ranked": 2}
        )
        expect(outcome).to_contain_text(kwast.name)
        link = page.get_by_role("link", name=nl("Award notice (PDF)"))
        pdf_response = page.request.get(live_server.url + link.get_attribute("href"))
        assert pdf_response.headers["content-type"] == "application/pdf"
        reader = PdfReader(BytesIO(pdf_response.body()))
        text = "".join(p.extract_text() for p in reader.pages)
        assert kwast.name in text and TITLE in text

    assert [e for e in console_errors if "403" not in e] == []
