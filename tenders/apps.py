from django.apps import AppConfig


class TendersConfig(AppConfig):
    name = "tenders"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from marketplace.audit import audit_actions_register
        from tenders import caching
        from tenders.audit import AUDIT_ACTION_LABELS

        caching.connect()
        audit_actions_register(AUDIT_ACTION_LABELS)
