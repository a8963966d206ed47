"""import_lea_directory reads CDE's directory export: upserts, reports, and refuses bad files."""

from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from requests_intake.models import LeaType, LocalEducationalAgency

SAMPLE = Path(settings.BASE_DIR) / "tests" / "data" / "cde_directory_sample.txt"
COUNTIES = [
    "Alameda", "Alpine", "Amador", "Butte", "Calaveras", "Colusa", "Contra Costa", "Del Norte",
    "El Dorado", "Fresno", "Glenn", "Humboldt", "Imperial", "Inyo", "Kern", "Kings", "Lake",
    "Lassen", "Los Angeles", "Madera", "Marin", "Mariposa", "Mendocino", "Merced", "Modoc",
    "Mono", "Monterey", "Napa", "Nevada", "Orange", "Placer", "Plumas", "Riverside",
    "Sacramento", "San Benito", "San Bernardino", "San Diego", "San Francisco", "San Joaquin",
    "San Luis Obispo", "San Mateo", "Santa Barbara", "Santa Clara", "Santa Cruz", "Shasta",
    "Sierra", "Siskiyou", "Solano", "Sonoma", "Stanislaus", "Sutter", "Tehama", "Trinity",
    "Tulare", "Tuolumne", "Ventura", "Yolo", "Yuba",
]  # fmt: skip


def run(path) -> str:
    out = StringIO()
    call_command("import_lea_directory", str(path), stdout=out, stderr=StringIO())
    return out.getvalue()


def write(tmp_path, text) -> Path:
    path = tmp_path / "pubschls.txt"
    path.write_text(text)
    return path


@pytest.mark.django_db
def test_sample_creates_the_58_county_offices_with_their_county_codes():
    report = run(SAMPLE)
    offices = LocalEducationalAgency.objects.filter(lea_type=LeaType.COUNTY_OFFICE)
    assert offices.count() == 58
    by_code = {lea.county_code: lea.county for lea in offices}
    assert by_code == {f"{i:02d}": name for i, name in enumerate(COUNTIES, start=1)}
    assert "created" in report and "skipped" in report


@pytest.mark.django_db
def test_sample_classifies_districts_charters_and_skips_other_rows():
    report = run(SAMPLE)
    oakland = LocalEducationalAgency.objects.get(cds_code="01612590000000")
    assert (oakland.name, oakland.lea_type, oakland.county) == (
        "Oakland Unified",
        LeaType.SCHOOL_DISTRICT,
        "Alameda",
    )
    assert oakland.email_domain == "ousd.org"
    charter = LocalEducationalAgency.objects.get(cds_code="01612590130146")
    assert charter.lea_type == LeaType.CHARTER_SCHOOL
    closed = LocalEducationalAgency.objects.get(cds_code="42691200000000")
    assert closed.status == LocalEducationalAgency.Status.CLOSED
    assert not LocalEducationalAgency.objects.filter(cds_code="01612596001788").exists()
    assert "school that is not a charter school (not an LEA)" in report
    assert "State Special Schools" in report


@pytest.mark.django_db
def test_second_import_updates_changed_rows_and_counts_the_rest_unchanged(tmp_path):
    run(SAMPLE)
    changed = SAMPLE.read_text().replace("Oakland Unified\tNo Data", "Oakland Unified SD\tNo Data")
    report = run(write(tmp_path, changed))
    assert "0 created, 1 updated" in report
    assert (
        LocalEducationalAgency.objects.get(cds_code="01612590000000").name == "Oakland Unified SD"
    )


@pytest.mark.django_db
def test_malformed_row_names_its_line_and_changes_nothing(tmp_path):
    run(SAMPLE)
    before = list(
        LocalEducationalAgency.objects.order_by("cds_code").values_list("cds_code", "name")
    )
    lines = SAMPLE.read_text().splitlines()
    lines[1] = lines[1].replace("Alameda County Office of Education", "Renamed COE")
    lines[5] = "0110\tonly\tthree"
    with pytest.raises(CommandError, match=r"line 6: expected 25 tab-separated fields, found 3"):
        run(write(tmp_path, "\n".join(lines)))
    after = list(
        LocalEducationalAgency.objects.order_by("cds_code").values_list("cds_code", "name")
    )
    assert after == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda t: t.replace("01612590000000", "0161259000000X"), r"CDSCode '0161259000000X'"),
        (lambda t: t.replace("\tActive\tAlameda\tOakland", "\tOpen\tAlameda\tOakland"),
         r"StatusType 'Open'"),
        (lambda t: t.replace("CDSCode", "Code", 1), r"the header lacks the column\(s\) CDSCode"),
        (lambda t: "", r"line 1: the file is empty"),
    ],
)  # fmt: skip
def test_malformed_file_is_refused_with_a_clear_message(tmp_path, mutate, message):
    with pytest.raises(CommandError, match=message):
        run(write(tmp_path, mutate(SAMPLE.read_text())))
    assert LocalEducationalAgency.objects.count() == 0


def test_malformed_file_exits_non_zero_from_the_command_line(tmp_path):
    import os
    import subprocess
    import sys

    bad = write(tmp_path, "CDSCode\tStatusType\n")
    result = subprocess.run(
        [sys.executable, "manage.py", "import_lea_directory", str(bad)],
        cwd=settings.BASE_DIR,
        env=os.environ,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "line 1: the header lacks the column(s) County" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.django_db
def test_large_file_reports_progress_as_it_reads(tmp_path):
    header, first_row = SAMPLE.read_text().splitlines()[:2]
    fields = first_row.split("\t")
    rows = []
    for n in range(20_500):
        fields[0] = f"01{n:05d}0000000"
        fields[5] = f"District {n}"
        fields[17] = "54"
        rows.append("\t".join(fields))
    path = write(tmp_path, "\n".join([header, *rows]))
    out, err = StringIO(), StringIO()
    call_command("import_lea_directory", str(path), stdout=out, stderr=err)
    assert "10,000 rows read" in err.getvalue() and "20,000 rows read" in err.getvalue()
    assert "20,500 created" in out.getvalue()
    assert LocalEducationalAgency.objects.count() == 20_500


@pytest.mark.django_db
def test_the_import_keeps_each_agency_administrator_contact():
    run(SAMPLE)
    office = LocalEducationalAgency.objects.get(cds_code="01100170000000")
    assert office.administrator_name == "Sample Alameda Superintendent"
    assert office.administrator_email == "superintendent.alameda@example.org"
    district = LocalEducationalAgency.objects.get(cds_code="01612590000000")
    assert district.administrator_email == "superintendent.oaklandunified@example.org"
    # CDE's "No Data" is no name and no address.
    charter = LocalEducationalAgency.objects.get(cds_code="01612590130146")
    assert (charter.administrator_name, charter.administrator_email) == ("", "")


@pytest.mark.django_db
def test_a_changed_administrator_updates_the_agency_and_a_bad_address_is_kept_as_none(tmp_path):
    run(SAMPLE)
    changed = SAMPLE.read_text().replace(
        "superintendent.alameda@example.org", "new.superintendent@acoe.example.org"
    )
    changed = changed.replace("superintendent.fresnounified@example.org", "not an address")
    report = run(write(tmp_path, changed))
    assert "0 created, 2 updated" in report
    office = LocalEducationalAgency.objects.get(cds_code="01100170000000")
    assert office.administrator_email == "new.superintendent@acoe.example.org"
    assert LocalEducationalAgency.objects.get(cds_code="10621660000000").administrator_email == ""


@pytest.mark.django_db
def test_numbered_administrator_columns_are_read_too(tmp_path):
    text = SAMPLE.read_text()
    header, rest = text.split("\n", 1)
    header = header.replace("AdmFName", "AdmFName1").replace("AdmLName", "AdmLName1")
    header = header.replace("AdmEmail", "AdmEmail1")
    run(write(tmp_path, f"{header}\n{rest}"))
    office = LocalEducationalAgency.objects.get(cds_code="01100170000000")
    assert office.administrator_email == "superintendent.alameda@example.org"
