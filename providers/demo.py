"""The demo registry: a handful of vetted providers of each kind, written through the services.

Each is applied for, taken under review, noted against seed 004's criteria and approved, as a
reviewer would; the demo provider account leads a coaching provider assigned to the demo
engagement, so signing in as it shows the engagement and its reports at once.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model

from core import roles
from engagements.models import Engagement
from requests_intake.models import LocalEducationalAgency

from . import services
from .models import Provider, ProviderAssignment

DEMO_PROVIDER_EMAIL = "provider@demo.ccee.test"

# (kind, name, CDS code of the LEA or "", profile)
PROVIDERS = [
    (
        "coach",
        "Bay Area Leadership Coaching",
        "",
        {
            "summary": "Former principals who coach district leading teams through cycles of "
            "inquiry on early literacy and English learner progress.",
            "expertise": ["leadership", "english_learners", "ela_social_science_pedagogy"],
            "grade_spans": ["tk_k", "1_5"],
            "counties": ["01", "07", "41", "43"],
            "languages": ["en", "es"],
            "capacity": 3,
        },
    ),
    (
        "coach",
        "Central Valley Math Coaches",
        "",
        {
            "summary": "A team of math coaches who build teachers' capacity to lead "
            "standards-aligned problem solving in grades 6-12.",
            "expertise": ["math_science_pedagogy", "standards_implementation"],
            "grade_spans": ["6_8", "9_12"],
            "counties": ["10", "16", "20", "54"],
            "languages": ["en", "es", "hmn"],
            "capacity": 2,
        },
    ),
    (
        "coach",
        "Dr. Alicia Romero",
        "",
        {
            "summary": "A former assistant superintendent who coaches cabinets on LCAP "
            "development and engaging families in setting goals.",
            "expertise": [
                "lcap_development",
                "parent_engagement",
                "priority_3_parental_involvement",
            ],
            "grade_spans": ["tk_k", "1_5", "6_8", "9_12"],
            "statewide": True,
            "languages": ["en", "es"],
            "capacity": 1,
        },
    ),
    (
        "organisation",
        "Partners for College Readiness",
        "",
        {
            "summary": "A non-profit that works with high school teams on A-G completion, "
            "course access and college-going culture.",
            "expertise": ["college_readiness", "priority_7_course_access", "frpm"],
            "grade_spans": ["9_12"],
            "counties": ["19", "30", "33", "36"],
            "languages": ["en", "es", "vi"],
            "capacity": 4,
        },
    ),
    (
        "organisation",
        "Inclusive Schools Collaborative",
        "",
        {
            "summary": "Builds district capacity for inclusive practice for students with "
            "disabilities and for foster youth, with school-site teams.",
            "expertise": ["exceptional_needs", "foster_youth", "priority_6_school_climate"],
            "grade_spans": ["1_5", "6_8", "9_12"],
            "statewide": True,
            "languages": ["en", "es", "asl"],
            "capacity": 5,
        },
    ),
    (
        "lea",
        "Fresno Unified (district-to-district)",
        "10621660000000",
        {
            "summary": "Fresno Unified shares how it raised English learner reclassification "
            "through designated ELD and teacher collaboration time.",
            "expertise": ["english_learners", "quality_of_teaching", "systemness"],
            "grade_spans": ["1_5", "6_8"],
            "counties": ["10", "16", "20", "24", "54"],
            "languages": ["en", "es", "hmn"],
            "capacity": 2,
        },
    ),
    (
        "lea",
        "Long Beach Unified (district-to-district)",
        "19647250000000",
        {
            "summary": "Long Beach Unified pairs with districts on systemness: aligning "
            "principal supervision, data cycles and the LCAP.",
            "expertise": ["systemness", "leadership", "lcap_development"],
            "grade_spans": ["tk_k", "1_5", "6_8", "9_12"],
            "counties": ["19", "30", "56"],
            "languages": ["en", "es", "tl"],
            "capacity": 2,
        },
    ),
]

NOTES = [
    ("listens_and_learns", "Asked the district's questions before proposing anything."),
    ("builds_capacity", "References describe teams who carried on the work alone."),
    ("deep_collaboration", "Commits monthly on-site days with the leading team."),
]


def _person(email, full_name):
    User = get_user_model()
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email, password=None, full_name=full_name, is_active=True
        )
        roles.assign_role(user, roles.ASSISTANCE_PROVIDER)
    return user


def _vet(provider, reviewer):
    services.provider_start_review(provider=provider, by=reviewer)
    for criterion, text in NOTES:
        services.vetting_note_add(provider=provider, by=reviewer, criterion=criterion, text=text)
    return services.provider_approve(
        provider=provider, by=reviewer, reason="References checked; meets seed 004's criteria."
    )


def load_demo_providers(*, reviewer, provider_user) -> int:
    """Apply for, vet and approve the demo providers (once); return how many were new."""
    created = 0
    for index, (kind, name, cds, profile) in enumerate(PROVIDERS):
        if Provider.objects.filter(name=name).exists():
            continue
        lea = LocalEducationalAgency.objects.filter(cds_code=cds).first() if cds else None
        if kind == "lea" and lea is None:
            continue
        person = provider_user if index == 0 else _person(f"provider{index}@demo.ccee.test", name)
        provider = services.provider_apply(
            by=person,
            kind=kind,
            lea=lea,
            name=name,
            contact_email=person.email,
            references="Two districts CCEE may call; details on request.",
            public_consent=True,
            **profile,
        )
        provider = _vet(provider, reviewer)
        Provider.objects.filter(pk=provider.pk).update(public_listing=index % 2 == 0)
        created += 1
    _assign_demo_engagement(reviewer)
    return created


def _assign_demo_engagement(reviewer) -> None:
    """Assign the demo provider account's coaching provider to the demo engagement."""
    coach = Provider.objects.filter(name=PROVIDERS[0][1]).first()
    engagement = Engagement.objects.order_by("pk").first()
    if coach is None or engagement is None:
        return
    if ProviderAssignment.objects.filter(provider=coach, engagement=engagement).exists():
        return
    ProviderAssignment.objects.create(
        provider=coach,
        engagement=engagement,
        scope_of_work=engagement.agreement,
        role="Lead coach",
        days_committed=24,
        assigned_by=reviewer,
    )
