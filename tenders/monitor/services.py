"""The monitor's one state change from a page: importing a finance export, audited."""

from __future__ import annotations

from typing import IO

from django.utils.translation import gettext_lazy as _

from marketplace.models import Municipality, Organisation, User
from marketplace.services import audit_record
from tenders.monitor.importing import SpendReport, spend_import

# Registered in TendersConfig.ready.
AUDIT_ACTION_LABELS = {"spend.imported": _("Spend imported (finance export)")}


def spend_upload_import(
    *, municipality: Municipality, stream: IO[bytes], name: str, by: User, dry_run: bool
) -> SpendReport:
    """Import (or only check) an uploaded finance export; an import is kept in the audit log of
    the uploader's buying organisation."""
    report = spend_import(
        municipality=municipality, stream=stream, name=name, by=by, dry_run=dry_run
    )
    if not dry_run:
        organisation = Organisation.objects.filter(
            kind=Organisation.Kind.BUYER, municipality=municipality, memberships__user=by
        ).first()
        audit_record(
            action="spend.imported",
            actor=by,
            organisation=organisation,
            details={
                "file": name,
                "created": report.created,
                "updated": report.updated,
                "unchanged": report.unchanged,
                "rejected": len(report.rejected),
            },
        )
    return report
