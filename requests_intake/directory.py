"""Read the California Department of Education's public school directory export.

The export is tab-delimited with a header line and one row per CDS code (14 digits: county 2,
district 5, school 7). District-level rows (school code 0000000) are school districts or county
offices of education; school rows are LEAs only when they are charter schools.
"""

import csv
import io
from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from core.header_values import header_value_problem

from .models import LeaType, LocalEducationalAgency

REQUIRED_COLUMNS = (
    "CDSCode",
    "StatusType",
    "County",
    "District",
    "School",
    "Charter",
    "DOC",
    "DOCType",
)
OPTIONAL_COLUMNS = ("Street", "City", "Zip", "Phone", "WebSite", "AdmFName", "AdmLName", "AdmEmail")
# The administrator's columns; some exports number them for a first and second administrator
# (AdmFName1, AdmFName2 …): the first is the one kept.
ADMINISTRATOR_COLUMNS = {
    "AdmFName": ("AdmFName", "AdmFName1"),
    "AdmLName": ("AdmLName", "AdmLName1"),
    "AdmEmail": ("AdmEmail", "AdmEmail1"),
}
STATUS = {
    "Active": LocalEducationalAgency.Status.ACTIVE,
    "Closed": LocalEducationalAgency.Status.CLOSED,
    "Merged": LocalEducationalAgency.Status.CLOSED,
    "Pending": LocalEducationalAgency.Status.PENDING,
}
COUNTY_OFFICE_DOC = "00"
# District ownership codes of school districts: elementary, high school, unified.
DISTRICT_DOCS = {"52", "54", "56"}
# The school part of a district-level row's CDS code.
DISTRICT_LEVEL_SCHOOL_CODE = "0000000"
FIELDS = (
    "name",
    "lea_type",
    "county_code",
    "county",
    "status",
    "street",
    "city",
    "zip_code",
    "phone",
    "website",
    "email_domain",
    "administrator_name",
    "administrator_email",
)


class DirectoryError(ValueError):
    """The file cannot be imported; the message names the line and what is wrong."""


@dataclass
class ParsedDirectory:
    leas: dict[str, dict] = field(default_factory=dict)
    # Every row that is a school (its School column is not "No Data"), charter or not.
    schools: dict[str, dict] = field(default_factory=dict)
    skipped: Counter = field(default_factory=Counter)
    rows: int = 0


def email_domain_from_website(website: str) -> str:
    """Return the host of an LEA's website without "www.", as the staff email domain guess."""
    host = website.strip().lower()
    for prefix in ("https://", "http://"):
        host = host.removeprefix(prefix)
    host = host.split("/", 1)[0].split(":", 1)[0]
    return host.removeprefix("www.") if "." in host else ""


def decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # CDE's downloads have been published in Windows-1252 at times.
        return raw.decode("cp1252")


def parse_directory(text: str, progress=None) -> ParsedDirectory:
    """Validate every line and return the LEAs the file describes; raise DirectoryError if bad."""
    reader = csv.reader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE)
    header = _header(reader)
    index = {name: i for i, name in enumerate(header)}
    parsed = ParsedDirectory()
    for line_number, row in enumerate(reader, start=2):
        if not row or all(not cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise DirectoryError(
                f"line {line_number}: expected {len(header)} tab-separated fields, "
                f"found {len(row)}."
            )
        parsed.rows += 1
        if progress and parsed.rows % 10_000 == 0:
            progress(parsed.rows)
        value = {name: row[i].strip() for name, i in index.items()}
        cds, status = _cds_and_status(line_number, value)
        if (school := _school(cds, value, status)) is not None:
            parsed.schools[cds] = school
        lea_type = _lea_type(cds, value)
        if lea_type is None:
            parsed.skipped[_skip_reason(cds, value)] += 1
            continue
        lea = _lea(line_number, cds, value, lea_type, status)
        if cds in parsed.leas:
            raise DirectoryError(f"line {line_number}: CDS code {cds} appears twice.")
        parsed.leas[cds] = lea
    return parsed


def _header(reader) -> list[str]:
    """Return the header line's column names, refusing a file that is not the export."""
    try:
        header = next(reader)
    except StopIteration:
        raise DirectoryError("line 1: the file is empty; expected a header line.") from None
    header = [h.strip() for h in header]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise DirectoryError(
            f"line 1: the header lacks the column(s) {', '.join(missing)}; is this the CDE "
            "public school directory export (tab-delimited)?"
        )
    return header


def _cds_and_status(line_number: int, value: dict) -> tuple[str, str]:
    """Return the row's CDS code and LEA status, refusing a malformed code or unknown status."""
    cds = value["CDSCode"]
    if len(cds) != 14 or not cds.isdigit():
        raise DirectoryError(f"line {line_number}: CDSCode {cds!r} is not 14 digits.")
    status = STATUS.get(value["StatusType"])
    if status is None:
        raise DirectoryError(
            f"line {line_number}: StatusType {value['StatusType']!r} is not one of "
            f"{', '.join(STATUS)}."
        )
    return cds, status


def _lea_type(cds: str, value: dict) -> str | None:
    """Return the type of LEA the row describes, or None when the row is not an LEA."""
    if cds[7:] == DISTRICT_LEVEL_SCHOOL_CODE:
        doc = value["DOC"].zfill(2) if value["DOC"] else ""
        if doc == COUNTY_OFFICE_DOC:
            return LeaType.COUNTY_OFFICE
        if doc in DISTRICT_DOCS:
            return LeaType.SCHOOL_DISTRICT
        return None
    return LeaType.CHARTER_SCHOOL if value["Charter"].upper() == "Y" else None


# The School column of district-level rows.
NO_SCHOOL = "No Data"


def _school(cds: str, value: dict, status: str) -> dict | None:
    """Return the row as a school (requests_intake.School's fields), or None if it is not one."""
    name = value["School"]
    if cds[7:] == DISTRICT_LEVEL_SCHOOL_CODE or not name or name == NO_SCHOOL:
        return None
    if header_value_problem(name):
        return None
    return {
        "name": name[:200],
        "district_cds_code": cds[:7] + DISTRICT_LEVEL_SCHOOL_CODE,
        "county": value["County"][:60],
        "city": value.get("City", "")[:100],
        "status": status,
        "is_charter": value["Charter"].upper() == "Y",
    }


def _skip_reason(cds: str, value: dict) -> str:
    """Return why a row that is not an LEA is skipped, as the import's report counts it."""
    if cds[7:] == DISTRICT_LEVEL_SCHOOL_CODE:
        return (
            "district-level entity that is not a district or county office "
            f"({value['DOCType'] or 'no DOCType'})"
        )
    return "school that is not a charter school (not an LEA)"


def _name(lea_type: str, value: dict) -> str:
    return value["School"] if lea_type == LeaType.CHARTER_SCHOOL else value["District"]


def _lea(line_number: int, cds: str, value: dict, lea_type: str, status: str) -> dict:
    """Return the LEA's fields as the directory gives them, cut to the model's lengths."""
    name = _name(lea_type, value)
    if not name:
        raise DirectoryError(f"line {line_number}: no name for CDS code {cds}.")
    if header_value_problem(name):
        raise DirectoryError(
            f"line {line_number}: the name for CDS code {cds} holds a line break or another "
            "control character."
        )
    website = value.get("WebSite", "")
    administrator_name, administrator_email = _administrator(line_number, cds, value)
    return {
        "name": name[:200],
        "lea_type": lea_type,
        "county_code": cds[:2],
        "county": value["County"][:60],
        "status": status,
        "street": value.get("Street", "")[:200],
        "city": value.get("City", "")[:100],
        "zip_code": value.get("Zip", "")[:10],
        "phone": value.get("Phone", "")[:40],
        "website": website[:200],
        "email_domain": email_domain_from_website(website)[:120],
        "administrator_name": administrator_name,
        "administrator_email": administrator_email,
    }


def _column(value: dict, column: str) -> str:
    for name in ADMINISTRATOR_COLUMNS[column]:
        if value.get(name):
            return value[name]
    return ""


def _administrator(line_number: int, cds: str, value: dict) -> tuple[str, str]:
    """Return the superintendent's or administrator's name and email, as the export gives them.

    An address that is not one (CDE's "No Data", a typing slip) is kept as none.
    """
    first, last = _column(value, "AdmFName"), _column(value, "AdmLName")
    name = " ".join(part for part in (first, last) if part and part != "No Data")[:150]
    if header_value_problem(name):
        raise DirectoryError(
            f"line {line_number}: the administrator's name for CDS code {cds} holds a line "
            "break or another control character."
        )
    email = _column(value, "AdmEmail").lower()
    try:
        validate_email(email)
    except ValidationError:
        email = ""
    return name, email[:254]
