from django.db import migrations

CERTIFICATIONS = [
    ("vca", "VCA (veiligheid)"),
    ("vca-star", "VCA* (veiligheid, basis)"),
    ("vca-star-star", "VCA** (veiligheid, uitgebreid)"),
    ("iso-9001", "ISO 9001 (kwaliteit)"),
    ("iso-14001", "ISO 14001 (milieu)"),
    ("iso-27001", "ISO 27001 (informatiebeveiliging)"),
    ("iso-45001", "ISO 45001 (arbo)"),
    ("co2-prestatieladder", "CO2-Prestatieladder"),
    ("pso", "PSO (Prestatieladder Socialer Ondernemen)"),
    ("erkend-leerbedrijf", "Erkend Leerbedrijf (SBB)"),
    ("osb-keurmerk", "OSB-keurmerk (schoonmaak)"),
    ("nen-7510", "NEN 7510 (informatiebeveiliging in de zorg)"),
]


def add(apps, schema_editor):
    Certification = apps.get_model("suppliers", "Certification")
    for code, name in CERTIFICATIONS:
        Certification.objects.update_or_create(code=code, defaults={"name": name})


def remove(apps, schema_editor):
    apps.get_model("suppliers", "Certification").objects.filter(
        code__in=[code for code, _ in CERTIFICATIONS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("suppliers", "0002_firm_sbi_certifications")]

    operations = [migrations.RunPython(add, remove)]
