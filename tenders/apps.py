from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TendersConfig(AppConfig):
    name = "tenders"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.core import checks

        from tenders.checks import vault_key_check

        checks.register(vault_key_check, checks.Tags.security, deploy=True)
        from marketplace.audit import audit_actions_register
        from marketplace.dashboard import DashboardLink, dashboard_links_register
        from marketplace.models import Organisation
        from tenders.audit import AUDIT_ACTION_LABELS
        from tenders.monitor.services import AUDIT_ACTION_LABELS as MONITOR_AUDIT_ACTION_LABELS

        audit_actions_register(AUDIT_ACTION_LABELS)
        audit_actions_register(MONITOR_AUDIT_ACTION_LABELS)
        dashboard_links_register(
            DashboardLink(Organisation.Kind.BUYER, _("My tenders"), "tenders:dashboard"),
            DashboardLink(Organisation.Kind.FIRM, _("My firm's tenders"), "tenders:firm_dashboard"),
        )
