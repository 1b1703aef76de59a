"""Demo people: the buyers' organisations and the logins of DESIGN §6."""

from __future__ import annotations

from marketplace.models import Role

DEMO_PASSWORD = "dichtbij-demo"

BUYERS = [
    # (slug, name, municipality code)
    ("gemeente-dordrecht", "Gemeente Dordrecht", "GM0505"),
    ("gemeente-zwijndrecht", "Gemeente Zwijndrecht", "GM0642"),
    ("gemeente-papendrecht", "Gemeente Papendrecht", "GM0590"),
    ("gemeente-sliedrecht", "Gemeente Sliedrecht", "GM0610"),
]

# (e-mail, first name, last name, organisation slug or None, role)
PEOPLE = [
    ("inkoper@dordrecht.example", "Anouk", "de Graaf", "gemeente-dordrecht", Role.BUYER_ADMIN),
    ("inkoper2@dordrecht.example", "Sem", "Verbeek", "gemeente-dordrecht", Role.BUYER),
    (
        "inkoper@zwijndrecht.example",
        "Fatima",
        "El Amrani",
        "gemeente-zwijndrecht",
        Role.BUYER_ADMIN,
    ),
    (
        "inkoper@papendrecht.example",
        "Jeroen",
        "Hoogendoorn",
        "gemeente-papendrecht",
        Role.BUYER_ADMIN,
    ),
    ("inkoper@sliedrecht.example", "Marloes", "Baars", "gemeente-sliedrecht", Role.BUYER_ADMIN),
    ("schilder@firma.example", "Kees", "van Dijk", "kvk:24123456", Role.FIRM_ADMIN),
    ("bouw@firma.example", "Priya", "Ramdin", "kvk:24654321", Role.FIRM_ADMIN),
]
EDITOR = ("redacteur@dichtbij.example", "Lotte", "Bakker")
ADMIN = ("beheer@dichtbij.example", "Beheer", "Dichtbij")
