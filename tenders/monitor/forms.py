"""The monitor's forms: the year and region switch, and the finance-export upload."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tenders.monitor.importing import COLUMNS

MAX_UPLOAD_MB = 50
FILE_TOO_LARGE = _("The file is larger than %(max)s MB; split it into parts.")
NOT_CSV = _("Choose a CSV file (.csv or .txt).")
YEAR_OUT_OF_RANGE = _("Choose a year from 2000 to 2100.")


class MonitorScopeForm(forms.Form):
    """Which year, and the municipality alone or its whole region."""

    year = forms.IntegerField(
        label=_("Year"),
        required=False,
        min_value=2000,
        max_value=2100,
        error_messages={"min_value": YEAR_OUT_OF_RANGE, "max_value": YEAR_OUT_OF_RANGE},
    )
    region = forms.BooleanField(label=_("Show the whole region"), required=False)

    def __init__(self, *args: object, years: list[int] | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if years:
            self.fields["year"] = forms.TypedChoiceField(
                label=_("Year"),
                required=False,
                coerce=int,
                choices=[(year, year) for year in reversed(years)],
                error_messages={"invalid_choice": _("There are no figures for that year.")},
            )


class SpendUploadForm(forms.Form):
    """A finance export to import, or to check first."""

    file = forms.FileField(
        label=_("Finance export (CSV)"),
    )
    dry_run = forms.BooleanField(
        label=_("Only check the file, save nothing"),
        required=False,
        help_text=_("You see the same report; nothing changes in the figures."),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "UTF-8, with the header %(header)s. At most %(max)s MB."
        ) % {"header": ";".join(COLUMNS), "max": MAX_UPLOAD_MB}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".txt")):
            raise forms.ValidationError(NOT_CSV)
        if upload.size > MAX_UPLOAD_MB * 1024 * 1024:
            raise forms.ValidationError(FILE_TOO_LARGE % {"max": MAX_UPLOAD_MB})
        return upload
