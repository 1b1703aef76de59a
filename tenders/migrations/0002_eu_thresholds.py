"""The EU procurement thresholds for sub-central authorities, excl. VAT (DESIGN §4.2).

As the European Commission set them for 2024–2025 and 2026–2027 (revised every two years: add
a new period in a new migration). The values are written out here so later code cannot change
what this migration loads.
"""

from datetime import date
from decimal import Decimal

from django.db import migrations

PERIODS = [
    (
        date(2024, 1, 1),
        date(2025, 12, 31),
        {"works": "5538000", "supplies": "221000", "services": "221000", "social": "750000"},
    ),
    (
        date(2026, 1, 1),
        date(2027, 12, 31),
        {"works": "5404000", "supplies": "216000", "services": "216000", "social": "750000"},
    ),
]


def load(apps, schema_editor):
    EuThreshold = apps.get_model("tenders", "EuThreshold")
    for valid_from, valid_to, amounts in PERIODS:
        for contract_type, amount in amounts.items():
            EuThreshold.objects.update_or_create(
                contract_type=contract_type,
                valid_from=valid_from,
                defaults={"valid_to": valid_to, "amount": Decimal(amount)},
            )


def unload(apps, schema_editor):
    EuThreshold = apps.get_model("tenders", "EuThreshold")
    for valid_from, _valid_to, amounts in PERIODS:
        EuThreshold.objects.filter(valid_from=valid_from, contract_type__in=list(amounts)).delete()


class Migration(migrations.Migration):
    dependencies = [("tenders", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
