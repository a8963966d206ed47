"""import_assistance_status stores one year of CDE's LCFF Assistance Status file at a time."""

from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from eligibility import selectors
from eligibility.models import AssistanceStatusRecord

DATA = Path(settings.BASE_DIR) / "tests" / "data"
DIRECTORY = DATA / "cde_directory_sample.txt"
OAKLAND, FRESNO = "01612590000000", "10621660000000"

pytestmark = pytest.mark.django_db


def sample(year) -> Path:
    return DATA / f"cde_assistance_status_{year}.txt"


def run(path) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_assistance_status", str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def directory():
    call_command("import_lea_directory", str(DIRECTORY), stdout=StringIO(), stderr=StringIO())


def test_a_year_is_stored_with_counts_and_unknown_cds_codes_reported(directory):
    report, _ = run(sample(2025))

    assert AssistanceStatusRecord.objects.filter(reporting_year=2025).count() == 7
    assert "2025: 7 rows stored, 0 rows of that year replaced, 1 CDS codes not in the" in report
    assert "unknown CDS 99999990000000: Sample Unlisted District" in report
    oakland = AssistanceStatusRecord.objects.get(cds_code=OAKLAND, reporting_year=2025)
    assert oakland.subgroups["EL"] == [4, 6]


def test_reimporting_a_year_replaces_that_year_only(directory):
    run(sample(2024))
    run(sample(2025))
    AssistanceStatusRecord.objects.filter(reporting_year=2025).update(subgroups={})

    report, _ = run(sample(2025))

    assert "7 rows stored, 7 rows of that year replaced" in report
    assert AssistanceStatusRecord.objects.filter(reporting_year=2024).count() == 6
    assert AssistanceStatusRecord.objects.get(cds_code=OAKLAND, reporting_year=2025).subgroups


def test_the_stored_years_answer_52072a(directory):
    for year in (2023, 2024, 2025):
        run(sample(year))

    oakland = selectors.intensive_assistance_for(OAKLAND)
    fresno = selectors.intensive_assistance_for(FRESNO)

    assert oakland.met is True
    assert oakland.source == "CDE LCFF Assistance Status 2023, 2024, 2025"
    assert fresno.met is False
    assert selectors.intensive_assistance_for("01234560000000").met is False


def test_no_year_stored_means_no_answer():
    assert selectors.intensive_assistance_for(OAKLAND) is None


def test_a_malformed_file_changes_nothing_and_names_the_line(tmp_path, directory):
    run(sample(2025))
    bad = tmp_path / "status.txt"
    text = sample(2025).read_text().replace("4; 6", "4; 66")
    bad.write_text(text)

    with pytest.raises(CommandError, match=r"line 2: ELpriorities '4; 66' .* Nothing was"):
        run(bad)

    assert AssistanceStatusRecord.objects.get(cds_code=OAKLAND).subgroups["EL"] == [4, 6]


def test_a_missing_file_is_named():
    with pytest.raises(CommandError, match="nope.txt: no such file."):
        run("nope.txt")


def test_a_large_file_reports_progress(tmp_path):
    header, first = sample(2025).read_text().splitlines()[:2]
    fields = first.split("\t")
    rows = []
    for n in range(2_500):
        fields[0] = f"01{n:05d}0000000"
        rows.append("\t".join(fields))
    big = tmp_path / "big.txt"
    big.write_text("\n".join([header, *rows]) + "\n")

    report, progress = run(big)

    assert "2025: 2,500 rows stored" in report
    assert "… 1,000 rows read" in progress
    assert "… 2,000 rows read" in progress
