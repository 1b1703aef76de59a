"""Demo firms: the two behind the demo firm logins (DESIGN §6), and generated ones across the
Drechtsteden and beyond."""

from __future__ import annotations

import random
from dataclasses import dataclass

from marketplace.models import Postcode
from suppliers.services import FirmData

# The two firms behind the demo firm logins.
NAMED_FIRMS = [
    FirmData(
        kvk_number="24123456",
        name="Schildersbedrijf Van Dijk",
        description="Binnen- en buitenschilderwerk, houtrotherstel en glaszetten voor woningen, "
        "scholen en gemeentelijke gebouwen in Dordrecht en omstreken.",
        street="Voorstraat",
        house_number="212",
        postcode="3311 ES",
        place="Dordrecht",
        cpv_codes=("45442100", "45440000", "45421000"),
        employees=12,
        website="https://schilder.example",
        email="schilder@firma.example",
        open_to_partnerships=True,
    ),
    FirmData(
        kvk_number="24654321",
        name="Bouwbedrijf Maas & Zonen",
        description="Nieuwbouw, renovatie en onderhoud van utiliteitsgebouwen en scholen.",
        street="Coolsingel",
        house_number="40",
        postcode="3011 AD",
        place="Rotterdam",
        cpv_codes=("45000000", "45210000", "45453000"),
        employees=85,
        website="https://bouw.example",
        email="bouw@firma.example",
    ),
]


@dataclass(frozen=True)
class Trade:
    prefix: str
    suffix: str
    description: str
    cpv_codes: tuple[str, ...]


TRADES = [
    Trade(
        "Schildersbedrijf",
        "Schilderwerken",
        "Schilderwerk binnen en buiten, onderhoudsplannen voor vastgoed.",
        ("45442100", "45440000"),
    ),
    Trade(
        "Installatiebedrijf",
        "Installatietechniek",
        "Verwarming, ventilatie, sanitair en duurzame installaties.",
        ("45330000", "45331000"),
    ),
    Trade(
        "Elektrotechniek",
        "Elektro",
        "Elektrische installaties, laadpalen en storingsdienst.",
        ("45310000",),
    ),
    Trade(
        "Hoveniersbedrijf",
        "Groen",
        "Aanleg en onderhoud van openbaar groen, parken en tuinen.",
        ("77310000", "77311000"),
    ),
    Trade(
        "Schoonmaakbedrijf",
        "Schoonmaak",
        "Schoonmaak van kantoren, scholen en sporthallen; glasbewassing.",
        ("90910000", "90911200", "90911300"),
    ),
    Trade(
        "Bouwbedrijf",
        "Bouw",
        "Nieuwbouw, verbouw en renovatie.",
        ("45000000", "45210000", "45453000"),
    ),
    Trade(
        "Wegenbouw",
        "Infra",
        "Bestrating, asfalt en riolering in de openbare ruimte.",
        ("45233000", "45233222"),
    ),
    Trade(
        "ICT-bureau",
        "IT",
        "Software, hosting en ondersteuning voor organisaties.",
        ("72000000", "72260000"),
    ),
    Trade("Drukkerij", "Print", "Drukwerk, huisstijl en verzending.", ("79810000", "79800000")),
    Trade("Catering", "Catering", "Lunches, evenementen en bedrijfsrestaurants.", ("55520000",)),
    Trade(
        "Adviesbureau",
        "Advies",
        "Organisatieadvies, projectleiding en interim-management.",
        ("79400000",),
    ),
    Trade(
        "Verhuisbedrijf",
        "Transport",
        "Verhuizingen, archiefverhuizingen en opslag.",
        ("98392000", "60000000"),
    ),
    Trade("Beveiliging", "Security", "Beveiliging van gebouwen en evenementen.", ("79710000",)),
    Trade(
        "Dakdekkersbedrijf", "Dakwerken", "Platte en hellende daken, groene daken.", ("45261000",)
    ),
    Trade("Timmerbedrijf", "Timmerwerken", "Kozijnen, deuren en maatwerk in hout.", ("45421000",)),
    Trade(
        "Ingenieursbureau",
        "Engineering",
        "Constructief ontwerp, inspecties en advies.",
        ("71000000", "71320000"),
    ),
]

SURNAMES = [
    "Van Dijk",
    "De Vries",
    "Bakker",
    "Jansen",
    "Visser",
    "Smit",
    "Meijer",
    "De Boer",
    "Mulder",
    "De Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "Van Leeuwen",
    "Dekker",
    "Brouwer",
    "De Wit",
    "Dijkstra",
    "Van der Linden",
    "Kok",
    "Verhoeven",
    "Schouten",
    "Van den Berg",
    "Yilmaz",
    "Pronk",
    "Koster",
    "Van Wijk",
    "Kuipers",
    "Boer",
    "Van Gils",
    "Blom",
    "Heijboer",
    "Ouwerkerk",
]
STREETS = [
    "Kerkstraat",
    "Dorpsstraat",
    "Industrieweg",
    "Havenstraat",
    "Molenweg",
    "Nijverheidsweg",
    "Stationsweg",
    "Handelsweg",
    "Marktplein",
    "Dijkweg",
    "Ambachtsweg",
    "Parallelweg",
]

# Where demo firms are established: most in the Drechtsteden, then the neighbours, then the rest.
DRECHTSTEDEN_WEIGHTS = {
    "GM0505": 8,
    "GM0642": 3,
    "GM0590": 3,
    "GM0610": 2,
    "GM0531": 2,
    "GM0482": 2,
    "GM0523": 1,
}
NEIGHBOUR_WEIGHTS = {
    "GM0599": 6,
    "GM0489": 1,
    "GM0597": 1,
    "GM0512": 1,
    "GM1978": 1,
    "GM1963": 1,
}
SHARES = (0.55, 0.25)  # Drechtsteden, neighbours; the rest anywhere in the Netherlands


def _pick_municipality(rng: random.Random, everywhere: list[str]) -> str:
    draw = rng.random()
    if draw < SHARES[0]:
        weights = DRECHTSTEDEN_WEIGHTS
    elif draw < SHARES[0] + SHARES[1]:
        weights = NEIGHBOUR_WEIGHTS
    else:
        return rng.choice(everywhere)
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _employees(rng: random.Random) -> int:
    # Most firms are small: 1–9 people, some up to 49, a few up to 250.
    bucket = rng.random()
    if bucket < 0.6:
        return rng.randint(1, 9)
    if bucket < 0.9:
        return rng.randint(10, 49)
    return rng.randint(50, 250)


def generated_firms(count: int, seed: int) -> list[FirmData]:
    """``count`` believable firms, the same list for the same seed."""
    rng = random.Random(seed)
    postcodes: dict[str, list[str]] = {}
    for code, municipality in Postcode.objects.order_by("code").values_list("code", "municipality"):
        postcodes.setdefault(municipality, []).append(code)
    everywhere = sorted(postcodes)
    names: set[str] = {firm.name for firm in NAMED_FIRMS}
    kvk_numbers: set[str] = {firm.kvk_number for firm in NAMED_FIRMS}
    firms = []
    while len(firms) < count:
        trade = rng.choice(TRADES)
        surname = rng.choice(SURNAMES)
        name = f"{trade.prefix} {surname}" if rng.random() < 0.6 else f"{surname} {trade.suffix}"
        kvk = f"{rng.randint(10_000_000, 99_999_999)}"
        if name in names or kvk in kvk_numbers:
            continue
        names.add(name)
        kvk_numbers.add(kvk)
        municipality = _pick_municipality(rng, everywhere)
        pc4 = rng.choice(postcodes[municipality])
        letters = "".join(rng.choice("ABCDEGHJKLMNPRSTVWXZ") for _ in range(2))
        slug = name.lower().replace(" ", "").replace("-", "")
        firms.append(
            FirmData(
                kvk_number=kvk,
                name=name,
                description=trade.description,
                street=rng.choice(STREETS),
                house_number=str(rng.randint(1, 180)),
                postcode=f"{pc4} {letters}",
                cpv_codes=trade.cpv_codes,
                employees=_employees(rng),
                website=f"https://{slug}.example",
                email=f"info@{slug}.example",
                open_to_partnerships=rng.random() < 0.4,
            )
        )
    return firms
