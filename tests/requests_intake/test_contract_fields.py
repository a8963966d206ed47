"""What the contract needs, asked once: request type first in the need section, schools in scope
from the directory, DA status and the LCAP, the cost side and the agreement party; refused input
is said next to its field and changes nothing; every field shows in the admin, on the request page
and in its PDF copy with the form's labels."""

import datetime
import io

import pypdf
import pytest
from django.urls import reverse
from django.utils import timezone

from eligibility.models import AssistanceStatusRecord
from requests_intake import documents
from requests_intake.drafts import FIELD_LABELS
from requests_intake.models import AssistanceRequest, AssistanceType, EvidenceFor, School
from requests_intake.validation import submission_problems
from tests.factories import TINY_PDF, DraftRequestFactory, submitted_request

pytestmark = pytest.mark.django_db


def section_url(req, slug):
    return reverse("requests_intake:request_section", args=[req.pk, slug])


def search_url(req, q):
    return reverse("requests_intake:school_search", args=[req.pk]) + f"?q={q}"


def make_schools(lea, count, *, start=1):
    return School.objects.bulk_create(
        School(
            cds_code=f"{lea.cds_code[:7]}{6000000 + start + i:07d}",
            name=f"Sample School {start + i:04d}",
            district_cds_code=lea.cds_code,
            county=lea.county,
            city="Oakland",
        )
        for i in range(count)
    )


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PRIVATE_MEDIA_ROOT = tmp_path


@pytest.fixture
def draft(lea, lea_staff):
    return DraftRequestFactory(lea=lea, created_by=lea_staff)


@pytest.fixture
def schools(lea):
    return make_schools(lea, 3)


def need_post(req, **changes):
    data = {
        "version": req.version,
        "section": "need",
        "action": "save",
        "request_type": AssistanceType.FACILITATED_INSTRUCTIONAL_REVIEW,
        "school_cds_codes": "",
        "da_status": "eligible",
        "lcap_year": "2025-26",
        "lcap_url": "https://www.example.org/lcap",
        "problem_of_practice": "Too few grade 8 students finish Algebra I.",
        "student_groups": "Grade 8",
        "data_evidence": "31% passed Algebra I in 2025.",
        "lcap_goals": "Goal 2",
        "strategies_tried": "Summer bridge",
        "desired_outcomes": "Pass rate above 60%",
        "progress_indicators": "Quarterly common assessments",
    }
    data.update(changes)
    return data


def agreement_post(req, **changes):
    data = {
        "version": req.version,
        "section": "agreement",
        "action": "save",
        "budget_min": "40000",
        "budget_max": "60000",
        "reimbursement_fund": "Fund 01, Resource 0000",
        "board_approval": "required",
        "board_date": (timezone.localdate() + datetime.timedelta(days=20)).isoformat(),
        "legal_name": "Sample Unified School District",
        "signatory_name": "Dr. Morgan Reyes",
        "signatory_title": "Superintendent",
        "signatory_email": "mreyes@example.org",
    }
    data.update(changes)
    return data


# --- the need section ------------------------------------------------------------------------


def test_request_type_is_the_first_question_of_the_need_section_and_shapes_its_prompts(
    client, draft, lea_staff
):
    client.force_login(lea_staff)
    draft.request_type = AssistanceType.SYSTEMIC_REVIEW
    draft.save()

    page = client.get(section_url(draft, "need")).content.decode()

    first_field = page.index('name="request_type"')
    assert (
        first_field
        < page.index('name="school_cds_codes"')
        < page.index('name="problem_of_practice"')
    )
    assert "A systemic review (EC 52074(g)(2)(B))" in page
    assert "The district-wide needs the review should examine" in page

    draft.request_type = AssistanceType.FACILITATED_INSTRUCTIONAL_REVIEW
    draft.save()
    page = client.get(section_url(draft, "need")).content.decode()
    assert "The instruction you want the review to look at" in page


def test_schools_chosen_by_cds_code_are_saved_in_order_and_shown_by_name(
    client, draft, lea_staff, schools
):
    client.force_login(lea_staff)
    typed = f"{schools[2].cds_code} — anything after the code\n\n{schools[0].cds_code}\n"

    response = client.post(section_url(draft, "need"), need_post(draft, school_cds_codes=typed))

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.school_cds_codes == [schools[2].cds_code, schools[0].cds_code]
    page = client.get(section_url(draft, "need")).content.decode()
    assert f"{schools[2].cds_code} — {schools[2].name}" in page


def test_a_school_of_another_lea_or_a_name_is_refused_next_to_the_field_and_nothing_changes(
    client, draft, lea_staff, other_lea
):
    foreign = make_schools(other_lea, 1)[0]
    client.force_login(lea_staff)
    before = draft.version

    response = client.post(
        section_url(draft, "need"),
        need_post(
            draft, school_cds_codes=f"{foreign.cds_code}\nSome school", problem_of_practice="X"
        ),
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert f"Not a school of {draft.lea.name} by its 14-digit CDS code: {foreign.cds_code}" in page
    assert 'aria-invalid="true"' in page
    draft.refresh_from_db()
    assert draft.version == before
    assert draft.school_cds_codes == []
    assert draft.problem_of_practice != "X"


def test_the_school_search_finds_the_leas_schools_by_name_or_cds_code(
    client, draft, lea_staff, schools, other_lea
):
    make_schools(other_lea, 2)
    School.objects.filter(pk=schools[1].pk).update(status="closed")
    client.force_login(lea_staff)

    by_name = client.get(search_url(draft, "school 000")).content.decode()
    by_code = client.get(search_url(draft, schools[2].cds_code[:12])).content.decode()
    too_short = client.get(search_url(draft, "s")).content.decode()

    assert f'data-add-school="{schools[0].cds_code}"' in by_name
    assert schools[1].cds_code not in by_name  # closed
    assert by_name.count("data-add-school") == 2  # none of the other LEA's
    assert f'data-add-school="{schools[2].cds_code}"' in by_code
    assert "data-add-school" not in too_short and "at least two" in too_short


def test_the_school_search_is_for_the_drafts_lea_members_only(
    client, draft, other_lea_staff, schools
):
    client.force_login(other_lea_staff)

    assert client.get(search_url(draft, "school")).status_code == 404


@pytest.mark.parametrize("count", [5, 300])
def test_the_school_search_reads_a_fixed_number_of_queries(
    client, draft, lea_staff, count, django_assert_max_num_queries
):
    make_schools(draft.lea, count)
    client.force_login(lea_staff)
    client.get(search_url(draft, "school"))  # the session and the person, once

    with django_assert_max_num_queries(8):
        response = client.get(search_url(draft, "school"))

    assert response.content.decode().count("data-add-school") == min(count, 20)


def test_the_da_status_is_prefilled_from_the_states_data(client, lea, lea_staff):
    draft = DraftRequestFactory(lea=lea, created_by=lea_staff, da_status="")
    AssistanceStatusRecord.objects.create(
        cds_code=lea.cds_code,
        reporting_year=2025,
        lea_name=lea.name,
        subgroups={"EL": [4, 5], "SWD": [4]},
    )
    client.force_login(lea_staff)

    page = client.get(section_url(draft, "need")).content.decode()

    assert '<option value="eligible" selected>' in page
    assert "The state's data (CDE LCFF Assistance Status 2025) says: eligible" in page


@pytest.mark.parametrize("typed", ["2025-27", "2025", "25-26", "next year"])
def test_an_lcap_year_that_is_not_two_following_years_is_refused(client, draft, lea_staff, typed):
    client.force_login(lea_staff)

    response = client.post(section_url(draft, "need"), need_post(draft, lcap_year=typed))

    assert response.status_code == 200
    assert "Write the LCAP year as its two years, such as 2025-26." in response.content.decode()
    draft.refresh_from_db()
    assert draft.lcap_year == "2025-26"


def test_the_lcap_can_be_uploaded_instead_of_linked(client, draft, lea_staff):
    client.force_login(lea_staff)
    upload = io.BytesIO(TINY_PDF)
    upload.name = "lcap.pdf"

    response = client.post(
        section_url(draft, "need"), {**need_post(draft, lcap_url=""), "evidence_lcap": upload}
    )

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.lcap_url == ""
    assert list(draft.attachments.values_list("evidence_for", "original_name")) == [
        (EvidenceFor.LCAP, "lcap.pdf")
    ]
    assert "lcap_url" not in submission_problems(draft)
    draft.attachments.all().delete()
    assert submission_problems(draft)["lcap_url"] == ["Give a link to your LCAP, or upload it."]


# --- costs and the agreement -----------------------------------------------------------------


def test_the_agreement_section_saves_the_cost_side_and_the_party(client, draft, lea_staff):
    client.force_login(lea_staff)

    response = client.post(
        section_url(draft, "agreement"), agreement_post(draft, action="continue")
    )

    assert response.url == reverse("requests_intake:request_review", args=[draft.pk])
    draft.refresh_from_db()
    assert (draft.budget_min, draft.budget_max) == (40_000, 60_000)
    assert draft.reimbursement_fund == "Fund 01, Resource 0000"
    assert draft.board_approval == "required" and draft.board_date > timezone.localdate()
    assert (draft.signatory_name, draft.signatory_email) == (
        "Dr. Morgan Reyes",
        "mreyes@example.org",
    )


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"budget_min": "60000", "budget_max": "40000"}, "budget_max", "is below the lower end"),
        ({"budget_min": "-5"}, "budget_min", "A budget cannot be negative."),
        ({"budget_max": "60000000"}, "budget_max", "Enter at most $50,000,000."),
        ({"board_date": "2001-01-01"}, "board_date", "This date is in the past"),
        ({"board_date": "2099-01-01"}, "board_date", "more than two years away"),
        ({"board_approval": "not_required"}, "board_date", "clear the date"),
        ({"board_date": "31/31/2026"}, "board_date", "Enter a real date"),
        ({"signatory_email": "not an email"}, "signatory_email", "valid email"),
        ({"signatory_name": "Dr. Reyes\r\nBcc: x@y.z"}, "signatory_name", ""),
    ],
)
def test_bad_cost_or_party_input_is_said_next_to_its_field_and_nothing_changes(
    client, draft, lea_staff, changes, field, message
):
    client.force_login(lea_staff)
    before = AssistanceRequest.objects.values().get(pk=draft.pk)

    response = client.post(section_url(draft, "agreement"), agreement_post(draft, **changes))

    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors
    assert message in " ".join(form.errors[field])
    assert AssistanceRequest.objects.values().get(pk=draft.pk) == before


def test_a_stale_save_of_the_agreement_section_is_refused_as_a_conflict(client, draft, lea_staff):
    client.force_login(lea_staff)
    stale = agreement_post(draft)
    client.post(section_url(draft, "agreement"), agreement_post(draft, signatory_name="First"))

    response = client.post(section_url(draft, "agreement"), {**stale, "signatory_name": "Second"})

    assert response.status_code == 409
    assert "Authorised signatory's name" in _flat(response.content.decode())
    draft.refresh_from_db()
    assert draft.signatory_name == "First"


def test_submission_needs_the_type_the_party_and_for_g3_the_fund_and_budget(lea, lea_staff):
    draft = DraftRequestFactory(
        lea=lea,
        created_by=lea_staff,
        request_type="",
        signatory_email="",
        board_approval="required",
        agrees_to_reimburse=True,
        reimbursement_fund="",
        budget_max=None,
        coe_superintendent_determined_necessary=False,
        at_risk_of_state_intervention=False,
    )

    problems = submission_problems(draft)

    assert problems["request_type"] == ["Choose the type of request."]
    assert problems["signatory_email"] == ["Give the authorised signatory's email address."]
    assert problems["board_date"] == [
        "Give the date the board is expected to approve the agreement."
    ]
    assert "name the fund or resource" in problems["reimbursement_fund"][0]
    assert "budget_max" in problems
    assert "assistance_types" not in problems


# --- shown everywhere with the same labels ---------------------------------------------------


@pytest.fixture
def filled(lea, lea_staff, schools):
    return submitted_request(
        lea=lea,
        created_by=lea_staff,
        request_type=AssistanceType.COACHING,
        school_cds_codes=[schools[1].cds_code],
        budget_min=10_000,
        budget_max=25_000,
        reimbursement_fund="Fund 01, Resource 0000",
        board_approval="required",
        board_date=timezone.localdate() + datetime.timedelta(days=40),
        legal_name="Sample Unified School District of Alameda",
        signatory_name="Dr. Morgan Reyes",
        signatory_title="Superintendent",
        signatory_email="mreyes@example.org",
    )


EXPECTED_VALUES = [
    "Coaching",
    "Sample School 0002",
    "Eligible for differentiated assistance",
    "2025-26",
    "$10,000",
    "$25,000",
    "Fund 01, Resource 0000",
    "Yes, our governing board must approve the agreement",
    "Sample Unified School District of Alameda",
    "Dr. Morgan Reyes",
    "mreyes@example.org",
]
LABELS = [
    "request_type",
    "school_cds_codes",
    "da_status",
    "lcap_year",
    "lcap_url",
    "budget_min",
    "budget_max",
    "reimbursement_fund",
    "board_approval",
    "board_date",
    "legal_name",
    "signatory_name",
    "signatory_title",
    "signatory_email",
]


def _flat(text: str) -> str:
    return " ".join(text.replace("&#x27;", "'").split())


def test_every_contract_field_shows_on_the_request_page_with_the_forms_label(
    client, filled, lea_staff
):
    client.force_login(lea_staff)

    page = _flat(
        client.get(reverse("requests_intake:request_detail", args=[filled.pk])).content.decode()
    )

    for name in LABELS:
        assert FIELD_LABELS[name] in page, name
    for value in EXPECTED_VALUES:
        assert value in page, value


def test_every_contract_field_shows_in_the_pdf_copy_with_the_same_labels(filled):
    reader = pypdf.PdfReader(io.BytesIO(documents.request_pdf(filled)))
    text = _flat(" ".join(page.extract_text() for page in reader.pages))

    for name in LABELS:
        assert _flat(FIELD_LABELS[name]) in text, name
    for value in EXPECTED_VALUES:
        assert value in text, value


def test_every_contract_field_shows_in_the_admin_change_view_with_the_same_labels(
    client, filled, reviewer
):
    client.force_login(reviewer)

    page = _flat(
        client.get(
            reverse("admin:requests_intake_assistancerequest_change", args=[filled.pk])
        ).content.decode()
    )

    assert "Costs and the agreement" in page
    for name in LABELS:
        assert FIELD_LABELS[name] in page, name
    for value in EXPECTED_VALUES:
        assert value in page, value


# --- the directory's schools -----------------------------------------------------------------


def test_the_directory_import_keeps_every_school_row_under_its_district():
    from io import StringIO
    from pathlib import Path

    from django.conf import settings
    from django.core.management import call_command

    sample = Path(settings.BASE_DIR) / "tests" / "data" / "cde_directory_sample.txt"
    out = StringIO()
    call_command("import_lea_directory", str(sample), stdout=out, stderr=StringIO())
    call_command("import_lea_directory", str(sample), stdout=(again := StringIO()))

    oakland = School.objects.filter(district_cds_code="01612590000000")
    assert set(oakland.values_list("name", flat=True)) == {
        "Sample Bay Academy Charter",
        "Sample Elementary",
        "Sample Lincoln Elementary",
        "Sample Westlake Middle",
        "Sample Fremont High",
        "Sample Garfield Elementary",
    }
    assert oakland.get(name="Sample Bay Academy Charter").is_charter
    assert oakland.get(name="Sample Garfield Elementary").status == "closed"
    # District-level rows ("No Data" in School) are not schools.
    assert not School.objects.filter(cds_code__endswith="0000000").exists()
    assert "Schools: 11 created, 0 updated, 0 unchanged." in out.getvalue()
    assert "Schools: 0 created, 0 updated, 11 unchanged." in again.getvalue()


def test_removing_the_lcap_upload_returns_to_the_need_section(client, draft, lea_staff):
    client.force_login(lea_staff)
    upload = io.BytesIO(TINY_PDF)
    upload.name = "lcap.pdf"
    client.post(section_url(draft, "need"), {**need_post(draft), "evidence_lcap": upload})
    attachment = draft.attachments.get()

    response = client.post(
        reverse("requests_intake:attachment_delete", args=[draft.pk, attachment.pk])
    )

    assert response.url == section_url(draft, "need")
    assert not draft.attachments.exists()
