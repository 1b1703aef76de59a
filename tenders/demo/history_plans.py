"""What the demo municipalities bought in the last two years (``tenders.demo.history`` writes it).

Each buyer's list runs from old to recent. The procedure follows from the value and the buyer's
policy on the publication day; ``winner`` is the tier the winning firm should come from when the
demo firms have one there (local: the buyer's own municipality, REGION: the Drechtsteden, OUTSIDE:
further away)."""

from __future__ import annotations

from dataclasses import dataclass

from tenders.demo.wording import BUILDER_KVK, PAINTER_KVK
from tenders.models import ContractType

LOCAL, REGION, OUTSIDE = "LOCAL", "REGION", "OUTSIDE"
WORKS, SERVICES = ContractType.WORKS, ContractType.SERVICES


@dataclass(frozen=True)
class HistoryItem:
    title: str
    description: str
    contract_type: str
    cpv_codes: tuple[str, ...]  # the main code first
    value: int  # the estimate (excl. VAT) that decided the procedure
    days_ago: int  # the quote deadline, roughly this many days before today
    winner: str = LOCAL
    criteria: int | None = None  # an index of CRITERIA_SETS; None: lowest price
    outcome: str = "completed"  # completed, awarded (no contract yet), unsuccessful, cancelled
    reason: str = ""  # why cancelled or unsuccessful
    winner_kvk: tuple[str, ...] = ()  # a demo login's firm that should win


HISTORY: dict[str, tuple[HistoryItem, ...]] = {
    "gemeente-dordrecht": (
        HistoryItem(
            "Schilderwerk gymzalen Reeland en Krispijn",
            "Buitenschilderwerk en houtrotherstel van twee gymzalen, in de zomervakantie.",
            WORKS,
            ("45442100",),
            96_000,
            690,
            winner_kvk=(PAINTER_KVK,),
        ),
        HistoryItem(
            "Drukwerk en verzending gemeentegids",
            "Ontwerp-opmaak, drukken en huis-aan-huisverspreiding van de jaarlijkse gemeentegids.",
            SERVICES,
            ("79810000",),
            38_000,
            610,
            winner=REGION,
        ),
        HistoryItem(
            "Herinrichting Johan de Wittstraat",
            "Nieuwe bestrating, vrijliggend fietspad en vervanging van het riool.",
            WORKS,
            ("45233222", "45232130"),
            2_150_000,
            540,
            winner=OUTSIDE,
            criteria=2,
            winner_kvk=(BUILDER_KVK,),
        ),
        HistoryItem(
            "Groenonderhoud Weizigtpark en Merwestein",
            "Beeldgestuurd onderhoud van twee stadsparken op beeldkwaliteit B, twee jaar.",
            SERVICES,
            ("77310000", "77313000"),
            185_000,
            455,
            criteria=0,
        ),
        HistoryItem(
            "Beveiliging evenementen binnenstad",
            "Beveiligers en verkeersregelaars bij de grote evenementen in de binnenstad.",
            SERVICES,
            ("79710000",),
            90_000,
            380,
            outcome="cancelled",
            reason="De evenementen gaan dit jaar niet door; we vragen later opnieuw offertes.",
        ),
        HistoryItem(
            "Renovatie sanitair Stadskantoor",
            "Vernieuwen van de toiletgroepen en leidingen op vier verdiepingen.",
            WORKS,
            ("45330000", "45332000"),
            320_000,
            300,
            winner=REGION,
            criteria=1,
        ),
        HistoryItem(
            "Schoonmaak sportaccommodaties",
            "Dagelijkse schoonmaak van zes sporthallen en twee zwembaden, drie jaar.",
            SERVICES,
            ("90911200", "90911300"),
            480_000,
            190,
            winner=OUTSIDE,
            criteria=3,
        ),
        HistoryItem(
            "Openbare verlichting Stadspolders",
            "Vervangen van 140 lichtmasten door ledverlichting.",
            WORKS,
            ("45316110", "45310000"),
            140_000,
            32,
            outcome="awarded",
        ),
    ),
    "gemeente-zwijndrecht": (
        HistoryItem(
            "Boomonderhoud Heerjansdam",
            "Snoeien en vellen van bomen langs de dijk en in de wijk.",
            SERVICES,
            ("77340000", "77310000"),
            45_000,
            660,
        ),
        HistoryItem(
            "Vervanging riolering Walburg, fase 1",
            "Vervanging van het gemengde riool door een gescheiden stelsel in zes straten.",
            WORKS,
            ("45232130", "45233222"),
            850_000,
            575,
            winner=REGION,
            criteria=1,
        ),
        HistoryItem(
            "Schoonmaak gemeentehuis Zwijndrecht",
            "Dagelijkse schoonmaak en glasbewassing van het gemeentehuis, drie jaar.",
            SERVICES,
            ("90911200", "90911300"),
            265_000,
            470,
            winner=OUTSIDE,
            criteria=3,
        ),
        HistoryItem(
            "Elektrotechnisch onderhoud sporthal Develhal",
            "Periodiek onderhoud en keuring van de elektrische installatie.",
            WORKS,
            ("45310000",),
            62_000,
            400,
        ),
        HistoryItem(
            "Verhuizing gemeentearchief",
            "Verhuizing van het archief naar het nieuwe depot, met tijdelijke opslag.",
            SERVICES,
            ("98392000",),
            30_000,
            330,
            outcome="unsuccessful",
            reason="Er is geen offerte ontvangen; we verhuizen het archief met eigen mensen.",
        ),
        HistoryItem(
            "ICT-beheer en hosting zaaksysteem",
            "Beheer, hosting en ondersteuning van het zaaksysteem, vier jaar.",
            SERVICES,
            ("72250000", "72260000"),
            150_000,
            210,
            winner=OUTSIDE,
            criteria=3,
        ),
        HistoryItem(
            "Dakrenovatie brandweerkazerne",
            "Nieuwe dakbedekking en isolatie op de brandweerkazerne.",
            WORKS,
            ("45261900", "45261000"),
            210_000,
            45,
            winner=REGION,
            outcome="awarded",
        ),
    ),
    "gemeente-papendrecht": (
        HistoryItem(
            "Schilderwerk kozijnen gemeentewerf",
            "Schilderen van kozijnen en deuren van de gemeentewerf, met klein houtrotherstel.",
            WORKS,
            ("45442100",),
            72_000,
            640,
        ),
        HistoryItem(
            "Groenonderhoud Oostpolder",
            "Onderhoud van plantsoenen, hagen en gazons in de Oostpolder, twee jaar.",
            SERVICES,
            ("77310000", "77313000"),
            120_000,
            520,
            criteria=0,
        ),
        HistoryItem(
            "Herinrichting Markt Papendrecht",
            "Nieuwe bestrating, bomen en verlichting op de Markt.",
            WORKS,
            ("45233222", "45233000"),
            1_700_000,
            420,
            winner=REGION,
            criteria=2,
        ),
        HistoryItem(
            "Catering raadsbijeenkomsten",
            "Lunches en vergaderservice bij de raadsvergaderingen, twee jaar.",
            SERVICES,
            ("55520000",),
            24_000,
            300,
        ),
        HistoryItem(
            "Advies nieuw inkoopbeleid",
            "Begeleiding bij het schrijven van het inkoop- en aanbestedingsbeleid.",
            SERVICES,
            ("79400000",),
            46_000,
            160,
            winner=OUTSIDE,
        ),
        HistoryItem(
            "Warmtepompen sporthal De Slingeland",
            "Vervanging van de gasketels door warmtepompen.",
            WORKS,
            ("45330000", "45331110"),
            260_000,
            38,
            winner=REGION,
            outcome="awarded",
        ),
    ),
    "gemeente-sliedrecht": (
        HistoryItem(
            "Onderhoud wegen en fietspaden",
            "Groot onderhoud aan asfalt en klinkers in Sliedrecht-Oost.",
            WORKS,
            ("45233140", "45233222"),
            420_000,
            600,
            winner=REGION,
            criteria=1,
        ),
        HistoryItem(
            "Schoonmaak basisscholen",
            "Schoonmaak van vier gemeentelijke schoolgebouwen, twee jaar.",
            SERVICES,
            ("90911200",),
            95_000,
            500,
        ),
        HistoryItem(
            "Constructief advies Baanhoekbrug",
            "Inspectie en constructief advies voor de renovatie van de Baanhoekbrug.",
            SERVICES,
            ("71312000", "71320000"),
            240_000,
            390,
            winner=OUTSIDE,
            criteria=0,
        ),
        HistoryItem(
            "Laadpalen gemeentelijke parkeerplaatsen",
            "Aanleg van twaalf laadpalen met netaansluiting.",
            WORKS,
            ("45310000",),
            110_000,
            280,
            winner=REGION,
        ),
        HistoryItem(
            "Beveiliging gemeentehuis",
            "Receptie- en beveiligingsdienst van het gemeentehuis.",
            SERVICES,
            ("79710000",),
            150_000,
            200,
            outcome="cancelled",
            reason="De gemeente huisvest de receptie bij de buurgemeente; de opdracht vervalt.",
        ),
        HistoryItem(
            "Timmerwerk kinderboerderij",
            "Nieuwe stallen, hekwerk en kozijnen op de kinderboerderij.",
            WORKS,
            ("45421000",),
            36_000,
            110,
        ),
    ),
}
