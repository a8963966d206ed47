"""Read CDE's LCFF Assistance Status file and derive what it says under EC 52064.5(g) and 52072(a).

Plain Python with no Django import, like rules.py: the importer stores what ``parse_file``
returns, and the portal derives each LEA's years and the 52072(a) criteria with the functions
below, which the tests run without a database.

The file has one row per LEA and reporting year: the 14-digit ``CDS`` code, ``LEAname``,
``countyname``, ``ReportingYear``, and for each pupil subgroup a column (``AApriorities``,
``ELpriorities``, …; some years spell them ``AA_PRIORITIES``) listing the LCFF priority areas in
which that subgroup met the criteria. Column names are compared without case, spaces or
underscores, so every year's spelling reads the same.

How a cell is read (an assumption about the layout, stated so that it can be checked): an empty
cell means the LEA has no result for that subgroup (it is not one of the LEA's subgroups that
year); ``none``, ``-`` or ``0`` means the subgroup has a result and met the criteria in no area;
otherwise the cell lists priority numbers (``4,5``, ``4; 6``, ``P4 P5``).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

# The subgroups of the file, in its column order: code (as the column names spell it) → label.
SUBGROUPS = {
    "AA": "African American",
    "AI": "American Indian or Alaska Native",
    "AS": "Asian",
    "EL": "English learners",
    "FI": "Filipino",
    "FOS": "Foster youth",
    "HI": "Hispanic",
    "HOM": "Homeless",
    "PI": "Pacific Islander",
    "SED": "Socioeconomically disadvantaged",
    "SWD": "Students with disabilities",
    "MR": "Two or more races",
    "WH": "White",
}
# The LCFF state priorities (EC 52060(d) for districts; 9 and 10 for county offices, 52066(d)).
PRIORITY_AREAS = range(1, 11)
# EC 52064.5(g): a subgroup meeting the criteria in two or more priority areas.
MIN_AREAS_FOR_DIFFERENTIATED_ASSISTANCE = 2
# EC 52072(a): three or more subgroups (or all, if fewer), in three out of four years.
MIN_SUBGROUPS_FOR_52072A = 3
YEARS_IN_52072A_WINDOW = 4
MIN_YEARS_IN_52072A_WINDOW = 3

SOURCE_NAME = "CDE LCFF Assistance Status"
NO_AREA = {"none", "-", "0", "n/a"}


def _key(name: str) -> str:
    return re.sub(r"[\s_]", "", name).casefold()


IDENTITY_COLUMNS = {"cds": "cds", "leaname": "lea_name", "countyname": "county_name"}
YEAR_COLUMN = "reportingyear"
SUBGROUP_COLUMNS = {_key(f"{code}priorities"): code for code in SUBGROUPS}


class AssistanceStatusError(ValueError):
    """The file cannot be imported; the message names the line and what is wrong."""


@dataclass(frozen=True, slots=True)
class YearStatus:
    """One LEA's row for one reporting year: each subgroup it has, and the areas it met."""

    year: int
    subgroups: Mapping[str, tuple[int, ...]]

    @property
    def eligible_subgroups(self) -> tuple[str, ...]:
        """Return the subgroups that make the LEA eligible for differentiated assistance."""
        return tuple(
            code
            for code, areas in self.subgroups.items()
            if len(areas) >= MIN_AREAS_FOR_DIFFERENTIATED_ASSISTANCE
        )

    @property
    def differentiated_assistance(self) -> bool:
        """Return whether the LEA was eligible for differentiated assistance (EC 52064.5(g))."""
        return bool(self.eligible_subgroups)

    @property
    def counts_toward_52072a(self) -> bool:
        """Return whether this year counts under 52072(a): three or more subgroups, or all."""
        eligible = len(self.eligible_subgroups)
        if eligible >= MIN_SUBGROUPS_FOR_52072A:
            return True
        has = len(self.subgroups)
        return 0 < has < MIN_SUBGROUPS_FOR_52072A and eligible == has


@dataclass(frozen=True, slots=True)
class IntensiveAssistance:
    """Whether the stored years meet EC 52072(a) for one LEA, and the years that say so."""

    met: bool
    window: tuple[int, ...]
    qualifying_years: tuple[int, ...]

    @property
    def source(self) -> str:
        """Return the provenance as a reviewer reads it: the file and the years it rests on."""
        years = self.qualifying_years if self.met else self.window
        return f"{SOURCE_NAME} {', '.join(str(y) for y in years)}"


def intensive_assistance(years: Iterable[YearStatus], latest_year: int) -> IntensiveAssistance:
    """Return whether 52072(a)'s criteria are met in the four years ending with ``latest_year``.

    ``latest_year`` is the latest year imported for any LEA: a year missing for this LEA counts
    as a year it did not meet the criteria.
    """
    window = tuple(range(latest_year - YEARS_IN_52072A_WINDOW + 1, latest_year + 1))
    by_year = {y.year: y for y in years}
    qualifying = tuple(y for y in window if y in by_year and by_year[y].counts_toward_52072a)
    return IntensiveAssistance(
        met=len(qualifying) >= MIN_YEARS_IN_52072A_WINDOW,
        window=window,
        qualifying_years=qualifying,
    )


@dataclass
class ParsedFile:
    """A whole file, validated: its year and each LEA's row, keyed by CDS code."""

    year: int
    rows: dict[str, dict] = field(default_factory=dict)


def decode(raw: bytes) -> str:
    """Return the file's text: UTF-8 (with or without a byte-order mark), else Windows-1252."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252")


def parse_file(text: str, progress: Callable[[int], None] | None = None) -> ParsedFile:
    """Validate every line and return the file's rows; raise AssistanceStatusError if bad."""
    delimiter = "\t" if "\t" in text.split("\n", 1)[0] else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    columns = _header(reader)
    year: int | None = None
    rows: dict[str, dict] = {}
    for line_number, row in enumerate(reader, start=2):
        if not row or all(not cell.strip() for cell in row):
            continue
        if len(row) != len(columns):
            raise AssistanceStatusError(
                f"line {line_number}: expected {len(columns)} fields, found {len(row)}."
            )
        value = {columns[i]: cell.strip() for i, cell in enumerate(row) if columns[i]}
        row_year = _year(line_number, value[YEAR_COLUMN])
        if year is None:
            year = row_year
        elif row_year != year:
            raise AssistanceStatusError(
                f"line {line_number}: ReportingYear {row_year} differs from the file's {year};"
                " import one year per file."
            )
        cds = value["cds"]
        if len(cds) != 14 or not cds.isdigit():
            raise AssistanceStatusError(f"line {line_number}: CDS {cds!r} is not 14 digits.")
        if cds in rows:
            raise AssistanceStatusError(f"line {line_number}: CDS {cds} appears twice.")
        rows[cds] = {
            "lea_name": value["lea_name"][:200],
            "county_name": value["county_name"][:60],
            "subgroups": _subgroups(line_number, value),
        }
        if progress and len(rows) % 1_000 == 0:
            progress(len(rows))
    if year is None:
        raise AssistanceStatusError("line 2: the file has a header but no rows.")
    return ParsedFile(year=year, rows=rows)


def _header(reader) -> list[str]:
    """Return each column's internal name ("" for a column the portal does not read)."""
    try:
        header = next(reader)
    except StopIteration:
        raise AssistanceStatusError("line 1: the file is empty; expected a header line.") from None
    keys = [_key(h) for h in header]
    wanted = [*IDENTITY_COLUMNS, YEAR_COLUMN, *SUBGROUP_COLUMNS]
    missing = [k for k in wanted if k not in keys]
    if missing:
        spelled = {**{k: k for k in IDENTITY_COLUMNS}, YEAR_COLUMN: "ReportingYear"}
        names = [spelled.get(k) or f"{SUBGROUP_COLUMNS[k]}priorities" for k in missing]
        raise AssistanceStatusError(
            f"line 1: the header lacks the column(s) {', '.join(names)}; is this CDE's LCFF"
            " Assistance Status file?"
        )
    names = {**IDENTITY_COLUMNS, YEAR_COLUMN: YEAR_COLUMN, **SUBGROUP_COLUMNS}
    return [names.get(k, "") for k in keys]


def _year(line_number: int, text: str) -> int:
    """Return the reporting year: ``2025``, or the school year ``2024-25`` read as 2025."""
    match = re.fullmatch(r"(\d{4})(?:\s*[-/]\s*(\d{2}|\d{4}))?", text)
    if not match:
        raise AssistanceStatusError(
            f"line {line_number}: ReportingYear {text!r} is not a year such as 2025 or 2024-25."
        )
    return int(match.group(1)) + (1 if match.group(2) else 0)


def _subgroups(line_number: int, value: dict) -> dict[str, list[int]]:
    """Return {subgroup: [priority areas]} for the subgroups the LEA has a result for."""
    found: dict[str, list[int]] = {}
    for code in SUBGROUPS:
        cell = value[code]
        if not cell:
            continue
        if cell.casefold() in NO_AREA:
            found[code] = []
            continue
        tokens = [t for t in re.split(r"[,;\s]+", cell) if t]
        areas = []
        for token in tokens:
            digits = re.fullmatch(r"(?:p(?:riority)?)?(\d+)", token, flags=re.IGNORECASE)
            if not digits or int(digits.group(1)) not in PRIORITY_AREAS:
                raise AssistanceStatusError(
                    f"line {line_number}: {code}priorities {cell!r} is not a list of LCFF"
                    " priority areas (1 to 10)."
                )
            areas.append(int(digits.group(1)))
        found[code] = sorted(set(areas))
    return found
