"""What the supplier index stores about a firm: the same document for every backend."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from marketplace.models import Municipality, cpv_prefix
from suppliers.models import Firm, size_for
from suppliers.search.grid import Neighbourhoods, grid_cell
from suppliers.search.text import tag, words


def cpv_with_ancestors(code: str) -> list[str]:
    """A code and every code above it by trailing zeros: 45442100 → 45442100, 45440000, 45400000,
    45000000. A subtree filter then is an equality test on any of them."""
    prefix = cpv_prefix(code)
    return [prefix[:length].ljust(8, "0") for length in range(len(prefix), 1, -1)]


@dataclass
class FirmDocument:
    firm_id: int
    kvk_number: str
    name: str
    name_words: str
    body_words: str
    municipality_code: str
    municipality_name: str
    region_code: str
    region_name: str
    latitude: float
    longitude: float
    cpv_codes: list[str]
    cpv_with_ancestors: list[str]
    sbi_codes: list[str]
    certifications: list[str]
    employees: int | None
    open_to_partnerships: bool
    published: bool
    near_municipalities: list[str]

    @property
    def tags(self) -> str:
        """The filter words of the database backend: municipality, region, grid cell, CPV codes
        with their ancestors, size, certifications and "open to partnerships"."""
        size = size_for(self.employees)
        return " ".join(
            [
                tag("m", self.municipality_code),
                tag("r", self.region_code),
                grid_cell(self.latitude, self.longitude),
                *(tag("c", code) for code in self.cpv_with_ancestors),
                *([tag("s", size)] if size else []),
                *(tag("k", code) for code in self.certifications),
                *(["pyes"] if self.open_to_partnerships else []),
                *(tag("d", code) for code in self.near_municipalities),
            ]
        )


def firm_documents(firm_ids: Iterable[int]) -> list[FirmDocument]:
    """The documents of these firms (firms that no longer exist are simply absent)."""
    firms = (
        Firm.objects.filter(pk__in=list(firm_ids))
        .select_related("organisation", "municipality__region")
        .prefetch_related("cpv_codes", "sbi_codes", "certifications")
        .order_by("pk")
    )
    neighbourhoods = Neighbourhoods(
        Municipality.objects.values_list("code", "latitude", "longitude")
    )
    return [firm_document(firm, neighbourhoods) for firm in firms]


def firm_document(firm: Firm, neighbourhoods: Neighbourhoods) -> FirmDocument:
    cpv = sorted(firm.cpv_codes.all(), key=lambda c: c.code)
    sbi = sorted(firm.sbi_codes.all(), key=lambda s: (s.version, s.code))
    body = " ".join(
        [
            firm.description,
            *(c.label_nl for c in cpv),
            *(s.label_nl for s in sbi),
            firm.place,
            firm.municipality.name,
        ]
    )
    ancestors = sorted({a for c in cpv for a in cpv_with_ancestors(c.code)})
    return FirmDocument(
        firm_id=firm.pk,
        kvk_number=firm.kvk_number,
        name=firm.organisation.name,
        name_words=" ".join(words(firm.organisation.name)),
        body_words=" ".join(words(body)),
        municipality_code=firm.municipality_id,
        municipality_name=firm.municipality.name,
        region_code=firm.municipality.region_id,
        region_name=firm.municipality.region.name,
        latitude=firm.latitude,
        longitude=firm.longitude,
        cpv_codes=[c.code for c in cpv],
        cpv_with_ancestors=ancestors,
        sbi_codes=[f"{s.version}:{s.code}" for s in sbi],
        certifications=sorted(c.pk for c in firm.certifications.all()),
        employees=firm.employees,
        open_to_partnerships=firm.open_to_partnerships,
        published=firm.published,
        near_municipalities=neighbourhoods.near(firm.latitude, firm.longitude),
    )
