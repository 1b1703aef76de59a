from django.apps import AppConfig


class TendersConfig(AppConfig):
    name = "tenders"
    default_auto_field = "django.db.models.BigAutoField"
