from django.apps import AppConfig


class MarketplaceConfig(AppConfig):
    name = "marketplace"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from marketplace.audit import AUDIT_ACTION_LABELS, audit_actions_register

        audit_actions_register(AUDIT_ACTION_LABELS)
