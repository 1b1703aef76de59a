from django.db import migrations

INTRO = (
    "Dichtbij brengt gemeenten en ondernemers uit de eigen regio bij elkaar. Gemeenten zetten hun "
    "opdrachten hier neer en nodigen lokale bedrijven uit; ondernemers vinden werk, partners en "
    "elkaar. En iedereen ziet hoeveel van het geld van de gemeente in de buurt blijft."
)


def create_homepage(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    HomePage = apps.get_model("cms.HomePage")
    Locale = apps.get_model("wagtailcore.Locale")

    # Replace Wagtail's default welcome page (wagtailcore.0002_initial_data).
    page_type = ContentType.objects.get(model="page", app_label="wagtailcore")
    Page.objects.filter(content_type=page_type, slug="home", depth=2).delete()
    homepage_type, __ = ContentType.objects.get_or_create(model="homepage", app_label="cms")
    homepage = HomePage.objects.create(
        title="Dichtbij",
        draft_title="Dichtbij",
        seo_title="Dichtbij — lokaal inkopen en samenwerken",
        slug="home",
        content_type=homepage_type,
        path="00010001",
        depth=2,
        numchild=0,
        url_path="/home/",
        intro=INTRO,
        locale=Locale.objects.order_by("pk").first(),
    )
    Site.objects.create(
        hostname="localhost", port=80, root_page=homepage, is_default_site=True, site_name="Dichtbij"
    )


def remove_homepage(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    HomePage = apps.get_model("cms.HomePage")
    HomePage.objects.filter(slug="home", depth=2).delete()
    ContentType.objects.filter(model="homepage", app_label="cms").delete()


class Migration(migrations.Migration):
    dependencies = [("cms", "0001_initial")]

    operations = [migrations.RunPython(create_homepage, remove_homepage)]
