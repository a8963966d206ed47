"""The participation import: which LEAs took part in which initiative, when, and how.

A CSV or XLSX file (read with tablib) with a header row naming the columns: `CDS code` or
`LEA name` (either, or both), `Initiative` (its code or its exact name), `Date`, `Kind`
(direct or indirect) and `Activity`. Like the directory import, it is all or nothing: every
row is checked first, and a file with any bad row is refused with each line and its problem,
changing nothing. Otherwise it is stored in one transaction, a row becoming the support record
of its LEA, initiative, fiscal quarter and kind; importing the same file again changes nothing.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

import tablib
from django.db import transaction

from requests_intake.models import LocalEducationalAgency

from .fiscal import fiscal_quarter_of
from .models import ImportBatch, Initiative, SupportKind, SupportRecord
from .totals import refresh_totals

# Column names are compared without case, spaces, underscores or hyphens.
COLUMNS = {
    "cdscode": "cds_code",
    "cds": "cds_code",
    "leaname": "lea_name",
    "lea": "lea_name",
    "initiative": "initiative",
    "date": "date",
    "kind": "kind",
    "activity": "activity",
}
REQUIRED = ("initiative", "date", "kind")
DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y")
MAX_ROWS = 1_000_000
PROGRESS_EVERY = 10_000


class ImportRefused(Exception):
    """The file cannot be imported; `problems` lists (line, message), line 0 for the file."""

    def __init__(self, problems: list[tuple[int, str]]):
        self.problems = problems
        super().__init__(
            "; ".join(f"line {line}: {text}" if line else text for line, text in problems)
        )


@dataclass
class ImportResult:
    batch: ImportBatch
    rows: int
    created: int
    updated: int
    unchanged: int
    years: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class _Row:
    line: int
    lea_id: int
    initiative_id: int
    day: date
    kind: str
    activity: str


def _normal(name) -> str:
    return "".join(ch for ch in str(name or "").lower() if ch.isalnum())


def read_dataset(content: bytes, file_name: str) -> tablib.Dataset:
    """Return the file's rows as a tablib Dataset (XLSX by its name, else CSV in UTF-8)."""
    try:
        if file_name.lower().endswith(".xlsx"):
            return tablib.Dataset().load(content, format="xlsx")
        return tablib.Dataset().load(content.decode("utf-8-sig"), format="csv")
    except UnicodeDecodeError:
        raise ImportRefused(
            [(0, "The file is not UTF-8 text; save it as CSV UTF-8 or XLSX.")]
        ) from None
    except Exception as error:  # tablib and openpyxl raise many kinds for a damaged file
        raise ImportRefused([(0, f"The file cannot be read as CSV or XLSX ({error}).")]) from None


def _columns(headers) -> dict[str, int]:
    found = {}
    for index, header in enumerate(headers or []):
        name = COLUMNS.get(_normal(header))
        if name and name not in found:
            found[name] = index
    missing = [name for name in REQUIRED if name not in found]
    if "cds_code" not in found and "lea_name" not in found:
        missing.insert(0, "CDS code or LEA name")
    if missing:
        raise ImportRefused([(1, f"The header row lacks the column(s): {', '.join(missing)}.")])
    return found


def _cell(values, columns, name) -> str:
    index = columns.get(name)
    if index is None or index >= len(values) or values[index] is None:
        return ""
    value = values[index]
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _parse_date(text: str) -> date | None:
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()  # noqa: DTZ007 (a calendar date)
        except ValueError:
            continue
    return None


class _Lookups:
    """LEAs and initiatives the file names, fetched in a fixed number of queries."""

    def __init__(self, raw_rows, columns):
        codes = {_cell(v, columns, "cds_code") for v in raw_rows} - {""}
        names = {_cell(v, columns, "lea_name") for v in raw_rows} - {""}
        self.by_code = dict(
            LocalEducationalAgency.objects.filter(cds_code__in=codes).values_list("cds_code", "pk")
        )
        self.by_name: dict[str, list[tuple[int, str]]] = {}
        for pk, name, code in LocalEducationalAgency.objects.filter(name__in=names).values_list(
            "pk", "name", "cds_code"
        ):
            self.by_name.setdefault(name, []).append((pk, code))
        self.initiatives = {}
        for pk, code, name in Initiative.objects.values_list("pk", "code", "name"):
            self.initiatives[code.lower()] = pk
            self.initiatives[name.lower()] = pk

    def lea(self, code: str, name: str) -> tuple[int | None, str]:
        if code:
            digits = "".join(ch for ch in code if ch.isdigit())
            if len(digits) != 14:
                return None, f"CDS code {code!r} is not 14 digits."
            if digits not in self.by_code:
                return None, f"No LEA in the directory has CDS code {digits}."
            return self.by_code[digits], ""
        matches = self.by_name.get(name, [])
        if not matches:
            return None, f"No LEA in the directory is named exactly {name!r}; give its CDS code."
        if len(matches) > 1:
            codes = ", ".join(sorted(code for _, code in matches))
            return (
                None,
                f"{len(matches)} LEAs are named {name!r} (CDS codes {codes}); give the CDS code.",
            )
        return matches[0][0], ""


def _check_row(line, values, columns, lookups) -> tuple[_Row | None, list[str]]:
    problems = []
    code, name = _cell(values, columns, "cds_code"), _cell(values, columns, "lea_name")
    lea_id = None
    if not code and not name:
        problems.append("Give the LEA's CDS code or its name.")
    else:
        lea_id, problem = lookups.lea(code, name)
        problems += [problem] if problem else []
    initiative_text = _cell(values, columns, "initiative")
    initiative_id = lookups.initiatives.get(initiative_text.lower())
    if initiative_id is None:
        problems.append(f"No initiative has the code or name {initiative_text!r}.")
    day_text = _cell(values, columns, "date")
    day = _parse_date(day_text)
    if day is None:
        problems.append(f"Date {day_text!r} is not a date (YYYY-MM-DD or MM/DD/YYYY).")
    kind = _cell(values, columns, "kind").lower()
    if kind not in SupportKind.values:
        problems.append(f"Kind {kind!r} is neither 'direct' nor 'indirect'.")
    activity = _cell(values, columns, "activity")
    if len(activity) > 300:
        problems.append("Activity is longer than 300 characters.")
    if problems:
        return None, problems
    return _Row(line, lea_id, initiative_id, day, kind, activity), []


def check_rows(
    dataset: tablib.Dataset, progress: Callable[[int], None] | None = None
) -> list[_Row]:
    """Return the file's rows checked against the directory, or raise ImportRefused."""
    columns = _columns(dataset.headers)
    raw_rows = [row for row in dataset if any(str(v or "").strip() for v in row)]
    if not raw_rows:
        raise ImportRefused([(0, "The file has a header row and no data rows.")])
    if len(raw_rows) > MAX_ROWS:
        raise ImportRefused([(0, f"The file has more than {MAX_ROWS:,} rows; split it.")])
    lookups = _Lookups(raw_rows, columns)
    rows, problems = [], []
    line = 1
    for values in dataset:
        line += 1
        if not any(str(v or "").strip() for v in values):
            continue
        row, row_problems = _check_row(line, values, columns, lookups)
        problems += [(line, text) for text in row_problems]
        if row:
            rows.append(row)
        if progress and line % PROGRESS_EVERY == 0:
            progress(line - 1)
    if problems:
        raise ImportRefused(problems)
    return rows


def _records_by_key(rows) -> dict[tuple, _Row]:
    keyed = {}
    for row in rows:
        fq = fiscal_quarter_of(row.day)
        keyed[(row.lea_id, row.initiative_id, fq.fiscal_year, fq.quarter, row.kind)] = row
    return keyed


@transaction.atomic
def participation_import(
    *, content: bytes, file_name: str, by=None, progress: Callable[[int], None] | None = None
) -> ImportResult:
    """Import a participation file in one transaction; raise ImportRefused, changing nothing."""
    rows = check_rows(read_dataset(content, file_name), progress)
    keyed = _records_by_key(rows)
    years = sorted({key[2] for key in keyed})
    batch = ImportBatch.objects.create(
        file_name=file_name[:255], sha256=hashlib.sha256(content).hexdigest(), imported_by=by
    )
    existing = {
        (r.lea_id, r.initiative_id, r.fiscal_year, r.quarter, r.kind): r
        for r in SupportRecord.objects.filter(
            fiscal_year__in=years, lea_id__in={key[0] for key in keyed}
        ).only(
            "id", "lea_id", "initiative_id", "fiscal_year", "quarter", "kind", "activity", "date"
        )
    }
    new, changed = [], []
    for key, row in keyed.items():
        record = existing.get(key)
        if record is None:
            new.append(
                SupportRecord(
                    lea_id=key[0], initiative_id=key[1], fiscal_year=key[2], quarter=key[3],
                    kind=key[4], source=SupportRecord.Source.IMPORT, activity=row.activity,
                    date=row.day, batch=batch,
                )
            )  # fmt: skip
        elif (record.activity, record.date) != (row.activity, row.day):
            record.activity, record.date, record.batch = row.activity, row.day, batch
            changed.append(record)
    SupportRecord.objects.bulk_create(new, batch_size=2000)
    SupportRecord.objects.bulk_update(changed, ["activity", "date", "batch"], batch_size=2000)
    for year in years:
        refresh_totals(year)
    unchanged = len(keyed) - len(new) - len(changed)
    batch.rows, batch.created, batch.updated, batch.unchanged = (
        len(rows),
        len(new),
        len(changed),
        unchanged,
    )
    batch.save(update_fields=["rows", "created", "updated", "unchanged"])
    return ImportResult(batch, len(rows), len(new), len(changed), unchanged, years)
