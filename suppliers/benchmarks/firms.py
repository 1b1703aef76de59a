"""Generated firms for the benchmarks: a deterministic stream of firms spread over the country.

Firms are spread over the municipalities by a population proxy built from the 4-digit postcode
areas: every postcode area weighs ``min(n, 4)``, where ``n`` is the number of postcode areas of its
place (woonplaats). A city postcode area holds some 10,000 people, a village's one or two
thousand; summed per municipality this proxy follows CBS population figures closely (log-log
correlation 0.97 over 41 municipalities, slope 1.0), where the plain count of postcode areas does
not (0.85: Frisian municipalities have a postcode area per village).
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from tqdm import tqdm

from marketplace.models import CpvCode, Organisation, Postcode
from suppliers.demo.firms import STREETS, SURNAMES, TRADES, Trade
from suppliers.models import Firm, FirmCpvEntry, FirmIndexEntry, FirmMatchEntry

# The firms are made of the demo firms' trades, surnames and streets, plus one rare trade.
RARE_TRADE = Trade(
    prefix="Torenuurwerkmaker",
    suffix="Torenuurwerken",
    description="Onderhoud en restauratie van torenuurwerken, luidklokken en carillons.",
    cpv_codes=("45454100", "50000000"),
)
RARE_EVERY = 10_000  # one firm in 10,000: a handful at 100,000, one at 10,000
RARE_OFFSET = 7
# Construction is the largest group of firms that bid for municipal work; these weights make
# "bouw" (bouwbedrijf, bouwtimmerwerk, bouwkunde, bouwwerkzaamheden) match about a third of them.
TRADE_WEIGHTS = {
    "Bouwbedrijf": 3.0,
    "Timmerbedrijf": 2.0,
    "Schildersbedrijf": 2.0,
    "Installatiebedrijf": 2.0,
    "Elektrotechniek": 1.5,
    "Drukkerij": 0.5,
    "Catering": 0.5,
    "Verhuisbedrijf": 0.5,
    "Beveiliging": 0.5,
}
GENERAL_CONSTRUCTION = "45000000"  # some specialists also list the whole construction division
GENERAL_CONSTRUCTION_SHARE = 0.1
EXTRA_SENTENCES = [
    "",
    "",
    "Erkend leerbedrijf.",
    "Familiebedrijf sinds 1987.",
    "Werkt met vaste onderaannemers uit de regio.",
    "VCA-gecertificeerd.",
    "Ook voor particulieren.",
]
POSTCODE_LETTERS = "ABCDEGHJKLMNPRSTVWXZ"
BATCH = 2000


@dataclass(frozen=True)
class Place:
    postcode: str
    municipality: str
    name: str
    latitude: float
    longitude: float


def places_and_weights() -> tuple[list[Place], list[float]]:
    """Every postcode area, weighted by ``min(n, 4)`` with n the postcode areas of its place."""
    places = [
        Place(*row)
        for row in Postcode.objects.order_by("code").values_list(
            "code", "municipality_id", "place", "latitude", "longitude"
        )
    ]
    per_place = Counter((p.municipality, p.name) for p in places)
    weights = [float(min(per_place[(p.municipality, p.name)], 4)) for p in places]
    return places, weights


class FirmGenerator:
    """A deterministic stream of firms: the first n of a seed are the same for any total."""

    def __init__(self, total: int, seed: int) -> None:
        self.rng = random.Random(seed)
        self.places, weights = places_and_weights()
        self.cum_places = list(_cumulative(weights))
        self.trades = list(TRADES)
        self.cum_trades = list(_cumulative(TRADE_WEIGHTS.get(t.prefix, 1.0) for t in self.trades))
        self.kvk_numbers = self.rng.sample(range(10_000_000, 100_000_000), total)
        self.cpv_codes = set(CpvCode.objects.values_list("code", flat=True))
        self.made = 0

    def insert(self, count: int, bar: tqdm) -> None:
        """Create the next ``count`` firms in the database (organisation, firm, CPV codes)."""
        end = self.made + count
        while self.made < end:
            size = min(BATCH, end - self.made)
            self._insert_batch([self._spec(self.made + i) for i in range(size)])
            self.made += size
            bar.update(size)

    def _spec(self, number: int) -> dict:
        rng = self.rng
        if number % RARE_EVERY == RARE_OFFSET:
            trade = RARE_TRADE
        else:
            trade = rng.choices(self.trades, cum_weights=self.cum_trades)[0]
        surname = rng.choice(SURNAMES)
        name = f"{trade.prefix} {surname}" if rng.random() < 0.6 else f"{surname} {trade.suffix}"
        place = rng.choices(self.places, cum_weights=self.cum_places)[0]
        codes = [code for code in trade.cpv_codes if code in self.cpv_codes]
        if trade.cpv_codes[0].startswith("45") and GENERAL_CONSTRUCTION not in codes:
            if rng.random() < GENERAL_CONSTRUCTION_SHARE:
                codes.append(GENERAL_CONSTRUCTION)
        letters = "".join(rng.choice(POSTCODE_LETTERS) for _ in range(2))
        return {
            "number": number,
            "name": name,
            "kvk_number": str(self.kvk_numbers[number]),
            "description": f"{trade.description} {rng.choice(EXTRA_SENTENCES)}".strip(),
            "street": rng.choice(STREETS),
            "house_number": str(rng.randint(1, 250)),
            "place": place,
            "postcode": f"{place.postcode} {letters}",
            "cpv_codes": codes,
            "employees": _employees(rng),
            "open_to_partnerships": rng.random() < 0.3,
            "published": rng.random() < 0.98,
        }

    @staticmethod
    def _insert_batch(specs: list[dict]) -> None:
        organisations = Organisation.objects.bulk_create(
            [
                Organisation(
                    name=spec["name"],
                    slug=f"benchmark-{spec['number']}",
                    kind=Organisation.Kind.FIRM,
                )
                for spec in specs
            ],
            batch_size=BATCH,
        )
        firms = []
        for organisation, spec in zip(organisations, specs, strict=True):
            place: Place = spec["place"]
            firms.append(
                Firm(
                    organisation_id=organisation.pk,
                    kvk_number=spec["kvk_number"],
                    description=spec["description"],
                    street=spec["street"],
                    house_number=spec["house_number"],
                    postcode=spec["postcode"],
                    place=place.name,
                    postcode_area_id=place.postcode,
                    municipality_id=place.municipality,
                    latitude=place.latitude,
                    longitude=place.longitude,
                    employees=spec["employees"],
                    open_to_partnerships=spec["open_to_partnerships"],
                    published=spec["published"],
                )
            )
        Firm.objects.bulk_create(firms, batch_size=BATCH)
        through = Firm.cpv_codes.through
        through.objects.bulk_create(
            [
                through(firm_id=organisation.pk, cpvcode_id=code)
                for organisation, spec in zip(organisations, specs, strict=True)
                for code in spec["cpv_codes"]
            ],
            batch_size=BATCH,
        )


def _cumulative(weights) -> Iterator[float]:
    total = 0.0
    for weight in weights:
        total += weight
        yield total


def _employees(rng: random.Random) -> int:
    draw = rng.random()
    if draw < 0.6:
        return rng.randint(1, 9)
    if draw < 0.9:
        return rng.randint(10, 49)
    if draw < 0.99:
        return rng.randint(50, 249)
    return rng.randint(250, 1500)


FIRM_MODELS = (
    Organisation,
    Firm,
    Firm.cpv_codes.through,
    FirmIndexEntry,
    FirmCpvEntry,
    FirmMatchEntry,
)
