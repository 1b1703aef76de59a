from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The words for the actions suppliers records (suppliers.services).
AUDIT_ACTION_LABELS = {
    "firm.created": _("Firm profile created"),
    "firm.updated": _("Firm profile updated"),
    "firm.invitation_sent": _("Colleague invited"),
    "firm.invitation_accepted": _("Invitation accepted"),
}


class SuppliersConfig(AppConfig):
    name = "suppliers"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from marketplace.audit import audit_actions_register

        audit_actions_register(AUDIT_ACTION_LABELS)
