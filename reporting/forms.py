"""The report's year and quarter filter, and the participation file upload."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .fiscal import QUARTER_MONTHS, fiscal_year_label

MAX_IMPORT_BYTES = 20 * 1024 * 1024


class ReportFilterForm(forms.Form):
    """Choose a fiscal year and the quarter the year to date runs through."""

    year = forms.TypedChoiceField(label=_("Fiscal year"), coerce=int)
    quarter = forms.TypedChoiceField(
        label=_("Through quarter"),
        coerce=int,
        choices=[(q, f"Q{q} ({months})") for q, months in QUARTER_MONTHS.items()],
    )

    def __init__(self, data, *, years: list[int], default_year: int, default_quarter: int):
        bound = {"year": default_year, "quarter": default_quarter}
        bound.update({key: data[key] for key in ("year", "quarter") if key in data})
        super().__init__(bound)
        self.fields["year"].choices = [(y, fiscal_year_label(y)) for y in years]
        self.default_year, self.default_quarter = default_year, default_quarter

    def period(self) -> tuple[int, int]:
        """Return the (year, quarter) chosen, or the defaults for a field that is not valid."""
        self.is_valid()
        data = self.cleaned_data
        return data.get("year", self.default_year), data.get("quarter", self.default_quarter)


class ParticipationImportForm(forms.Form):
    file = forms.FileField(
        label=_("Participation file (CSV or XLSX)"),
        help_text=_(
            "Columns: CDS code or LEA name, Initiative (code or exact name), Date, Kind "
            "(direct or indirect), Activity. One header row."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not (name.endswith(".csv") or name.endswith(".xlsx")):
            raise forms.ValidationError(_("Choose a .csv or .xlsx file."))
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB; split it."))
        return upload
