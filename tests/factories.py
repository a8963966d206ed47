"""factory_boy factories for the portal's rows."""

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from ccee_portal import roles
from requests_intake.models import (
    AssistanceRequest,
    AssistanceType,
    LeaMembership,
    LeaType,
    LocalEducationalAgency,
)

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name")
    job_title = "Coordinator"
    email_verified_at = factory.LazyFunction(timezone.now)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

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
