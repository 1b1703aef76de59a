"""The invitation assistant's data (DESIGN §4.6): a municipality's procurement policy for
invite-only procedures, and the append-only record of how a shortlist came about."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.models import Municipality
from suppliers.models import Firm
from tenders.models.tender import Tender

# A buyer's reason for a change to the shortlist; it becomes part of the justification.
INVITATION_REASON_MAX_LENGTH = 2000


class ProcurementPolicy(models.Model):
    """A municipality's rules for invitations, opening quotes and the standstill period.

    Municipalities without a row get the defaults (``ProcurementPolicy.defaults_for``)."""

    municipality = models.OneToOneField(
        Municipality, on_delete=models.CASCADE, related_name="procurement_policy"
    )
    firms_to_invite = models.PositiveSmallIntegerField(
        _("firms to invite (multiple-quote procedure)"),
        default=4,
        validators=[MinValueValidator(2), MaxValueValidator(10)],
        help_text=_("The single-quote procedure always invites one firm."),
    )
    min_local = models.PositiveSmallIntegerField(
        _("at least this many local firms"),
        default=2,
        validators=[MaxValueValidator(10)],
        help_text=_("When there are too few local firms, regional ones take their place."),
    )
    newcomer_slot = models.BooleanField(
        _("newcomer slot"),
        default=True,
        help_text=_("Keep one place for a firm you have not invited in the last 24 months."),
    )
    rotation_limit = models.PositiveSmallIntegerField(
        _("rotation after"),
        default=3,
        validators=[MaxValueValidator(50)],
        help_text=_(
            "A firm invited this many times in 12 months for the same kind of work steps back "
            "for others. 0 turns rotation off."
        ),
    )
    four_eyes_opening = models.BooleanField(
        _("four-eyes opening"),
        default=True,
        help_text=_(
            "Two different buyers are needed to open the quotes. Switching it off needs a second "
            "administrator's approval and applies to tenders published afterwards."
        ),
    )
    # Switching four-eyes opening off is a pending change until another administrator approves.
    four_eyes_off_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("four-eyes off requested by"),
    )
    standstill_days_european = models.PositiveSmallIntegerField(
        _("standstill period, European procedures (days)"),
        default=20,
        validators=[MaxValueValidator(60)],
    )
    standstill_days_other = models.PositiveSmallIntegerField(
        _("standstill period, other procedures (days)"),
        default=0,
        validators=[MaxValueValidator(60)],
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("procurement policy")
        verbose_name_plural = _("procurement policies")

    def __str__(self) -> str:
        return str(self.municipality)

    @classmethod
    def for_municipality(cls, municipality: Municipality) -> ProcurementPolicy:
        """The saved policy, or an unsaved one with the defaults."""
        policy = cls.objects.filter(municipality=municipality).first()
        return policy or cls(municipality=municipality)

    def standstill_days(self, procedure: str) -> int:
        from tenders.models.tender import Procedure

        if procedure == Procedure.EUROPEAN:
            return self.standstill_days_european
        return self.standstill_days_other


class InvitationChange(models.Model):
    """One step in making a shortlist: a proposed pick, a replacement, an addition, a firm passed
    over for rotation, the invitations sent. Together they are the procedure's justification."""

    class Action(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        PASSED_OVER = "passed_over", _("Passed over")
        REPLACED = "replaced", _("Replaced")
        ADDED = "added", _("Added")
        REMOVED = "removed", _("Removed")
        SENT = "sent", _("Invitation sent")

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="invitation_changes")
    action = models.CharField(_("what"), max_length=12, choices=Action.choices)
    firm = models.ForeignKey(
        Firm, on_delete=models.PROTECT, related_name="+", verbose_name=_("firm")
    )
    replaced_firm = models.ForeignKey(
        Firm,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("instead of"),
    )
    reason = models.TextField(_("reason"), blank=True)
    seed = models.CharField(_("seed"), max_length=64, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["tender", "at", "pk"]
        verbose_name = _("invitation change")
        verbose_name_plural = _("invitation changes")

    def __str__(self) -> str:
        return f"{self.tender.reference}: {self.get_action_display()} {self.firm}"
