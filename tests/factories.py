"""factory_boy factories for the portal's rows."""

from datetime import timedelta
from functools import cache

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from core import roles
from requests_intake.models import (
    AssistanceRequest,
    AssistanceType,
    LeaMembership,
    LeaType,
    LocalEducationalAgency,
)

PASSWORD = "correct-horse-battery-staple"


@cache
def password_hash():
    """Return PASSWORD hashed once, by the production hasher, for every person the suite makes.

    Each hash costs about 0.3 s of CPU (PBKDF2, Django's iteration count); hashing per person
    made the workflow tests spend 2 s on every setup. Signing in still checks it in full.
    """
    return make_password(PASSWORD)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name")
    job_title = "Coordinator"
    email_verified_at = factory.LazyFunction(timezone.now)
    password = factory.LazyFunction(password_hash)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            roles.assign_role(self, extracted)
        if create:
            self.save()


class LeaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocalEducationalAgency

    cds_code = factory.Sequence(lambda n: f"01{61000 + n:05d}0000000")
    name = factory.Sequence(lambda n: f"Sample Unified School District {n}")
    lea_type = LeaType.SCHOOL_DISTRICT
    county_code = "01"
    county = "Alameda"
    email_domain = factory.Sequence(lambda n: f"district{n}.k12.ca.us")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LeaMembership

    user = factory.SubFactory(UserFactory, role=roles.LEA_STAFF)
    lea = factory.SubFactory(LeaFactory)
    status = LeaMembership.Status.APPROVED


class DraftRequestFactory(factory.django.DjangoModelFactory):
    """A draft with every section filled in, ready to submit."""

    class Meta:
        model = AssistanceRequest

    lea = factory.SubFactory(LeaFactory)
    created_by = factory.SubFactory(UserFactory, role=roles.LEA_STAFF)
    superintendent_name = "Dr. Alex Rivera"
    superintendent_email = "superintendent@example.org"
    primary_contact_name = "Jordan Lee"
    primary_contact_title = "Assistant Superintendent, Educational Services"
    primary_contact_email = factory.Sequence(lambda n: f"contact{n}@example.org")
    primary_contact_phone = "(510) 555-0100"
    lea_type = LeaType.SCHOOL_DISTRICT
    coe_superintendent_determined_necessary = True
    coe_technical_assistance_provided = True
    geographic_lead_agrees = True
    g1a_details = "The county superintendent determined CCEE's assistance necessary in March."
    at_risk_of_state_intervention = True
    at_risk_basis = "Two student groups in the lowest performance level on three priorities."
    estimated_months = 9
    partner_county_office = True
    partner_geographic_lead = True
    problem_of_practice = "Grade 3-5 English learners are not reaching reading proficiency."
    student_groups = "English learners in grades 3-5"
    data_evidence = "CAASPP ELA: 12% of English learners met the standard in 2025."
    lcap_goals = "LCAP Goal 1: every student reads at grade level by grade 3."
    strategies_tried = "Tier 2 reading intervention, designated ELD time."
    desired_outcomes = "Reclassification and reading proficiency rise for English learners."
    progress_indicators = "ELPAC levels, i-Ready reading diagnostics each trimester."
    assistance_types = factory.LazyFunction(
        lambda: [AssistanceType.FACILITATED_INSTRUCTIONAL_REVIEW.value]
    )
    attested_at = factory.LazyFunction(timezone.now)
    attested_by = factory.SelfAttribute("created_by")


# The smallest file a PDF reader opens: a header, a catalog and a trailer.
# A complete PDF (with its cross-reference table), as core.files reads every uploaded PDF.
TINY_PDF = (
    b"%PDF-1.4\n1 0 obj\n<</Type/Catalog/Pages 2 0 R>>\nendobj\n"
    b"2 0 obj\n<</Type/Pages/Kids[]/Count 0>>\nendobj\n"
    b"xref\n0 3\n0000000000 65535 f \n0000000009 00000 n \n0000000054 00000 n \n"
    b"trailer\n<</Size 3 /Root 1 0 R>>\nstartxref\n100\n%%EOF\n"
)


class AttachmentFactory(factory.django.DjangoModelFactory):
    """Evidence on a request; the file is written to the default (private) storage."""

    class Meta:
        model = "requests_intake.Attachment"

    request = factory.SubFactory(DraftRequestFactory)
    evidence_for = "g1A"
    token = factory.Sequence(lambda n: f"{n:032x}")
    original_name = factory.Sequence(lambda n: f"determination-letter-{n}.pdf")
    content_type = "application/pdf"
    size = len(TINY_PDF)
    sha256 = "0" * 64
    uploaded_by = factory.SelfAttribute("request.created_by")
    file = factory.django.FileField(data=TINY_PDF, filename="letter.pdf")


def submitted_request(*, by=None, **kwargs):
    """Return a complete draft submitted through the workflow (reference, receipt, notices).

    `by` (default: the draft's creator) is made an approved member of the LEA if not already.
    """
    from requests_intake.workflow import assistance_request_submit

    draft = DraftRequestFactory(**kwargs)
    by = by or draft.created_by
    LeaMembership.objects.get_or_create(
        user=by, lea=draft.lea, defaults={"status": LeaMembership.Status.APPROVED}
    )
    return assistance_request_submit(assistance_request=draft, by=by)


def approved_request(*, reviewer, **kwargs):
    """Return a request submitted, verified and approved through the workflow (its scope of
    work is drafted by the contracts app's approval hook)."""
    from requests_intake.workflow import assistance_request_approve, assistance_request_verify

    req = submitted_request(**kwargs)
    req = assistance_request_verify(assistance_request=req, by=reviewer)
    return assistance_request_approve(assistance_request=req, by=reviewer)


class ClosureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "contracts.Closure"

    date = factory.Sequence(lambda n: timezone.localdate() + timedelta(days=400 + n))
    name = "Office closure"


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "contracts.Activity"

    title = factory.Sequence(lambda n: f"Coaching cycle {n}")
    start_date = factory.SelfAttribute("scope_of_work.term_start")
    end_date = factory.SelfAttribute("scope_of_work.term_end")
    responsible = "CCEE"


class CostLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "contracts.CostLine"

    description = factory.Sequence(lambda n: f"Coaching day {n}")
    quantity = 10
    unit = "day"
    unit_cost = 1250


# --- reporting (issue 17) -----------------------------------------------------------------


class InitiativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reporting.Initiative"
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"initiative-{n}")
    name = factory.Sequence(lambda n: f"Initiative {n}")
    center = "tll"
    owner = "Initiative lead"
    start_date = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=800))


class SupportRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reporting.SupportRecord"

    lea = factory.SubFactory(LeaFactory)
    initiative = factory.SubFactory(InitiativeFactory)
    fiscal_year = 2027
    quarter = 1
    kind = "direct"
    source = "import"
    activity = "Network meeting"


# --- The provider registry -----------------------------------------------------------------------


class ProviderFactory(factory.django.DjangoModelFactory):
    """An approved organisation with a profile filled in (status as given, history not written)."""

    class Meta:
        model = "providers.Provider"

    kind = "organisation"
    name = factory.Sequence(lambda n: f"Learning Partners {n}")
    status = "approved"
    summary = "Ten years of coaching cycles with district leading teams in math and literacy."
    contact_email = factory.Sequence(lambda n: f"contact{n}@provider.example.org")
    expertise = factory.LazyFunction(lambda: ["math_science_pedagogy", "english_learners"])
    grade_spans = factory.LazyFunction(lambda: ["1_5", "6_8"])
    counties = factory.LazyFunction(lambda: ["01", "19"])
    languages = factory.LazyFunction(lambda: ["en", "es"])
    capacity = 3
    references = "Sample Unified: the assistant superintendent."
    approved_at = factory.LazyAttribute(
        lambda p: timezone.now() if p.status == "approved" else None
    )


class ProviderMemberFactory(factory.django.DjangoModelFactory):
    """One of a provider's people, in the Assistance provider role."""

    class Meta:
        model = "providers.ProviderMember"

    provider = factory.SubFactory(ProviderFactory)
    user = factory.SubFactory(UserFactory, role=roles.ASSISTANCE_PROVIDER)
    role = "lead"


def assign_provider(provider, *, engagement=None, scope_of_work=None, by=None, **fields):
    """Assign a provider to an engagement or a scope of work (tests' shortcut past the UI)."""
    from providers.models import ProviderAssignment

    return ProviderAssignment.objects.create(
        provider=provider,
        engagement=engagement,
        scope_of_work=scope_of_work or (engagement.agreement if engagement else None),
        assigned_by=by,
        role=fields.pop("role", "Lead coach"),
        days_committed=fields.pop("days_committed", 10),
        **fields,
    )
