"""The participation import: one transaction, refused by line, LEAs by CDS code or exact name
(ambiguity reported), progress shown, idempotent on re-import; CSV and XLSX."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from reporting import selectors
from reporting.imports import ImportRefused, participation_import
from reporting.models import ImportBatch, ReportTotal, SupportRecord
from tests.factories import InitiativeFactory, LeaFactory

pytestmark = pytest.mark.django_db
HEADER = "CDS code,LEA name,Initiative,Date,Kind,Activity\n"


@pytest.fixture
def cei():
    return InitiativeFactory(code="cei", name="Community Engagement Initiative")


def csv_bytes(*lines):
    return (HEADER + "\n".join(lines) + "\n").encode()


def test_a_good_file_creates_one_record_per_lea_initiative_quarter_and_kind(cei):
    fresno = LeaFactory(cds_code="10621660000000", name="Fresno Unified")
    content = csv_bytes(
        "10621660000000,,cei,2026-08-15,direct,Community forum",
        ",Fresno Unified,Community Engagement Initiative,10/02/2026,indirect,Toolkit",
    )
    result = participation_import(content=content, file_name="cei.csv")
    assert (result.rows, result.created, result.updated, result.unchanged) == (2, 2, 0, 0)
    assert sorted(
        SupportRecord.objects.filter(lea=fresno).values_list("fiscal_year", "quarter", "kind")
    ) == [(2027, 1, "direct"), (2027, 2, "indirect")]
    assert selectors.quarterly_report(2027, 2).total.indirect == 1  # totals recounted


def test_re_importing_the_same_file_changes_nothing(cei):
    LeaFactory(cds_code="10621660000000")
    content = csv_bytes("10621660000000,,cei,2026-08-15,direct,Community forum")
    participation_import(content=content, file_name="cei.csv")
    before = list(SupportRecord.objects.values("pk", "activity", "date", "batch_id"))
    again = participation_import(content=content, file_name="cei.csv")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    assert list(SupportRecord.objects.values("pk", "activity", "date", "batch_id")) == before


def test_a_bad_file_is_refused_by_line_and_nothing_changes(cei):
    LeaFactory(cds_code="10621660000000")
    LeaFactory(cds_code="01612590000000")
    participation_import(
        content=csv_bytes("01612590000000,,cei,2026-08-15,direct,Kept"), file_name="first.csv"
    )
    records_before = list(SupportRecord.objects.values_list("pk", flat=True))
    totals_before = ReportTotal.objects.count()
    content = csv_bytes(
        "10621660000000,,cei,2026-08-15,direct,Good row",
        "123,,cei,2026-08-15,direct,Short code",
        "99999999999999,,cei,2026-08-15,direct,Unknown code",
        "10621660000000,,nope,2026-08-15,direct,Unknown initiative",
        "10621660000000,,cei,15 August,direct,Bad date",
        "10621660000000,,cei,2026-08-15,sometimes,Bad kind",
        ",,cei,2026-08-15,direct,No LEA",
    )
    with pytest.raises(ImportRefused) as refused:
        participation_import(content=content, file_name="bad.csv")
    lines = [line for line, _ in refused.value.problems]
    assert lines == [3, 4, 5, 6, 7, 8]
    texts = " ".join(text for _, text in refused.value.problems)
    assert "not 14 digits" in texts and "99999999999999" in texts and "'nope'" in texts
    assert "'15 August'" in texts and "'sometimes'" in texts and "CDS code or its name" in texts
    assert list(SupportRecord.objects.values_list("pk", flat=True)) == records_before
    assert ReportTotal.objects.count() == totals_before
    assert ImportBatch.objects.count() == 1


def test_an_ambiguous_name_is_reported_with_the_cds_codes_to_choose_from(cei):
    LeaFactory(name="Washington Unified", cds_code="10625470000000")
    LeaFactory(name="Washington Unified", cds_code="57726940000000")
    content = csv_bytes(",Washington Unified,cei,2026-08-15,direct,Forum")
    with pytest.raises(ImportRefused) as refused:
        participation_import(content=content, file_name="ambiguous.csv")
    [(line, text)] = refused.value.problems
    assert line == 2
    assert "2 LEAs are named 'Washington Unified'" in text
    assert "10625470000000, 57726940000000" in text
    assert not SupportRecord.objects.exists()


def test_a_name_must_match_exactly(cei):
    LeaFactory(name="Fresno Unified")
    with pytest.raises(ImportRefused, match="named exactly 'Fresno Unified School District'"):
        participation_import(
            content=csv_bytes(",Fresno Unified School District,cei,2026-08-15,direct,x"),
            file_name="f.csv",
        )


def test_a_file_without_the_needed_columns_is_refused_naming_them(cei):
    with pytest.raises(ImportRefused, match="lacks the column"):
        participation_import(content=b"LEA,When\nx,y\n", file_name="f.csv")


def test_an_xlsx_file_imports_like_a_csv(cei):
    LeaFactory(cds_code="10621660000000")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["CDS Code", "Initiative", "Date", "Kind", "Activity"])
    sheet.append(["10621660000000", "cei", "2027-01-20", "Indirect", "Webinar"])
    buffer = io.BytesIO()
    book.save(buffer)
    result = participation_import(content=buffer.getvalue(), file_name="cei.xlsx")
    assert result.created == 1
    assert SupportRecord.objects.get().quarter == 3


def test_a_damaged_file_is_refused_in_plain_words(cei):
    with pytest.raises(ImportRefused, match="cannot be read"):
        participation_import(content=b"not a workbook", file_name="cei.xlsx")


def test_the_command_shows_progress_and_refuses_a_bad_file(cei, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("reporting.imports.PROGRESS_EVERY", 2)
    LeaFactory(cds_code="10621660000000")
    good = tmp_path / "good.csv"
    good.write_bytes(
        csv_bytes(*[f"10621660000000,,cei,2026-0{m}-15,direct,Meeting" for m in (7, 8, 9, 1)])
    )
    call_command("import_participation", str(good))
    out, err = capsys.readouterr()
    assert "4 rows: 2 records created" in out  # Jul-Sep are one quarter, January another
    assert "rows checked" in err
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes("10621660000000,,cei,someday,direct,x"))
    with pytest.raises(CommandError, match="line 2: Date 'someday'"):
        call_command("import_participation", str(bad))


def test_a_lead_imports_in_the_admin_and_sees_each_bad_line(client, lead, cei):
    LeaFactory(cds_code="10621660000000")
    client.force_login(lead)
    url = reverse("admin:reporting_import")
    bad = SimpleUploadedFile("bad.csv", csv_bytes("10621660000000,,cei,2026-08-15,never,x"))
    response = client.post(url, {"file": bad})
    assert response.status_code == 200
    page = response.content.decode()
    assert "The file was not imported" in page and "Kind &#x27;never&#x27;" in page
    assert not SupportRecord.objects.exists()
    good = SimpleUploadedFile("good.csv", csv_bytes("10621660000000,,cei,2026-08-15,direct,x"))
    response = client.post(url, {"file": good}, follow=True)
    assert "1 records created" in response.content.decode()
    assert SupportRecord.objects.count() == 1


def test_the_admin_import_refuses_another_kind_of_file_next_to_the_field(client, lead):
    client.force_login(lead)
    upload = SimpleUploadedFile("notes.txt", b"hello")
    response = client.post(reverse("admin:reporting_import"), {"file": upload})
    assert "Choose a .csv or .xlsx file." in response.content.decode()


def test_reviewers_and_the_agent_cannot_import(client, reviewer, agent):
    for person in (reviewer, agent):
        client.force_login(person)
        assert client.get(reverse("admin:reporting_import")).status_code == 403
