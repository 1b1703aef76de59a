"""Live figures: numbers from the platform, computed when the page is shown, never typed in."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from wagtail.blocks import StreamBlockValidationError

from cms.blocks import SpeerpuntBodyBlock
from cms.figures import REGISTRY, figure_compute
from marketplace.models import CpvCode, Municipality
from tenders.models import Procedure
from tests.cms.conftest import figure_block, make_speerpunt
from tests.factories import FirmFactory
from tests.tenders.factories import PAINTING, TenderFactory
from tests.tenders.monitor.factories import spend_line

pytestmark = pytest.mark.django_db


def open_tender(cpv: str, **extra):
    return TenderFactory(
        published=True,
        procedure=Procedure.NATIONAL,
        main_cpv=CpvCode.objects.get(pk=cpv),
        **extra,
    )


def shown_figure(content: str) -> str:
    match = re.search(r'class="live-figure__value[^"]*"><strong>([^<]+)</strong>', content)
    assert match, "no live figure on the page"
    return match.group(1)


def test_open_tenders_in_a_division_count_only_public_open_ones(reference_data):
    open_tender(PAINTING)
    open_tender(PAINTING)
    open_tender("79400000")  # another division
    TenderFactory(published=True, main_cpv=CpvCode.objects.get(pk=PAINTING))  # invite-only

    figure = figure_compute("open_tenders_cpv", cpv_division="45")

    assert figure is not None
    assert figure.value == 2
    assert "aanbestedingen" in figure.source or "opdrachten" in figure.source


def test_firms_in_a_region_count_published_firms_there(dordrecht, zwijndrecht, reference_data):
    FirmFactory.create_batch(2, municipality=dordrecht)
    FirmFactory(municipality=zwijndrecht)
    FirmFactory(municipality=dordrecht, published=False)
    FirmFactory(municipality=Municipality.objects.get(pk="GM0363"))  # Amsterdam

    assert figure_compute("firms_region", region="drechtsteden").value == 3


def test_an_unknown_source_has_no_data_rather_than_zero(reference_data):
    assert figure_compute("firms_region", region="atlantis") is None
    assert figure_compute("open_tenders_cpv", cpv_division="00") is None
    assert figure_compute("no_such_kind") is None


def test_local_share_without_contracts_or_spend_says_no_data(reference_data):
    assert REGISTRY["local_share"].parameters == ("municipality", "year", "measure")
    assert figure_compute("local_share", municipality="GM0505", year=2025, measure="value") is None


def test_local_share_comes_from_the_monitor_as_a_percentage(reference_data, dordrecht):
    local = FirmFactory(municipality=dordrecht)
    elsewhere = FirmFactory(municipality=Municipality.objects.get(pk="GM0213"))
    spend_line(dordrecht, "750.00", date(2025, 3, 1), firm=local)
    spend_line(dordrecht, "250.00", date(2025, 4, 1), firm=elsewhere)
    spend_line(dordrecht, "1000.00", date(2025, 5, 1), firm=elsewhere)

    by_value = figure_compute("local_share", municipality="GM0505", year=2025, measure="value")
    by_count = figure_compute("local_share", municipality="GM0505", year=2025, measure="count")

    assert (by_value.value, by_value.percentage) == (Decimal("37.5"), True)
    assert by_count.value == Decimal("33.3")
    assert "monitor" in by_value.source.lower()
    assert figure_compute("local_share", municipality="GM0505", year=2019) is None


def test_a_speerpunt_shows_the_figure_as_it_is_now(client, speerpunten_index, dordrecht):
    make_speerpunt(
        speerpunten_index,
        "Ondernemers helpen elkaar",
        body=[figure_block("firms_region", "bedrijven in de Drechtsteden", region="drechtsteden")],
    )
    FirmFactory.create_batch(3, municipality=dordrecht)
    first = client.get("/speerpunten/ondernemers-helpen-elkaar/").content.decode()
    FirmFactory(municipality=dordrecht)
    later = client.get("/speerpunten/ondernemers-helpen-elkaar/").content.decode()

    assert shown_figure(first) == "3"
    assert shown_figure(later) == "4"
    assert "bedrijven in de Drechtsteden" in later
    assert "Bron: Dichtbij, leveranciersindex" in later


def test_a_figure_without_data_says_so_instead_of_zero(client, speerpunten_index):
    make_speerpunt(
        speerpunten_index,
        "Lokaal inkopen",
        body=[figure_block("local_share", "blijft in de regio", municipality="GM0505", year=2025)],
    )

    content = client.get("/speerpunten/lokaal-inkopen/").content.decode()

    assert shown_figure(content) == "nog geen gegevens"


def test_a_figure_without_its_parameter_is_refused_with_a_dutch_message():
    block = SpeerpuntBodyBlock()
    value = block.to_python([figure_block("open_tenders_cpv", "open bouwopdrachten")])

    with pytest.raises(StreamBlockValidationError) as refused:
        block.clean(value)

    assert "Dit soort cijfer heeft dit veld nodig." in str(refused.value.as_json_data())
