"""Read the database into `providers.ranking`'s plain inputs, in a fixed number of queries.

How a need is derived from a request (and from an engagement, through its request and its
current problem of practice) — the mapping to taxonomy tags (`providers.taxonomy`):

- each assistance type the LEA ticked adds the tags of ASSISTANCE_TYPE_TAGS and, for
  district-to-district, coaching and external provider, the kind of provider it asks for
  (ASSISTANCE_TYPE_KINDS); the reviews (instructional, systemic) ask for no kind;
- the problem of practice (the request's text; an engagement's current version) adds the tag of
  every phrase of KEYWORD_TAGS it contains (whole words, any case): "math" adds
  math_science_pedagogy, "chronic absenteeism" priority_5_pupil_engagement, and so on;
- the student groups the LEA named add the EC 52074(e)(4) populations they mention
  (STUDENT_GROUP_KEYWORDS: "English learners", "foster youth", "students with disabilities",
  "low-income"); they are also the LEA profile's student groups.

The LEA profile is the LEA's type, county (and so region) and those student groups. The LEA
directory holds no enrolment, so the enrolment band is unknown (None) and ranking leaves it out
of the similarity until the directory carries one.

A provider's past engagements are the engagements it was assigned to; each indicator with a
result counts as met when its final value reached the target, or, before closeout, when its
latest measurement was on track (not below the straight line from baseline to target).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import OuterRef, Subquery

from engagements.models import (
    Engagement,
    EngagementStatus,
    Indicator,
    Measurement,
    ProblemOfPractice,
)
from engagements.selectors import is_off_track
from requests_intake.models import AssistanceRequest, AssistanceType, RequestStatus

from . import cohorts, ranking
from .matching_models import Cohort
from .models import Provider, ProviderAssignment, ProviderConflict, ProviderStatus

T = AssistanceType

ASSISTANCE_TYPE_TAGS = {
    T.FACILITATED_INSTRUCTIONAL_REVIEW: ("quality_of_teaching", "priority_2_state_standards"),
    T.SYSTEMIC_REVIEW: ("systemness", "leadership"),
    T.COACHING: ("leadership",),
    T.DISTRICT_TO_DISTRICT: ("systemness",),
    T.EXTERNAL_PROVIDER: (),
    T.OTHER: (),
}
ASSISTANCE_TYPE_KINDS = {
    T.DISTRICT_TO_DISTRICT: "lea",
    T.COACHING: "coach",
    T.EXTERNAL_PROVIDER: "organisation",
}

# Phrases of a problem of practice (or student groups) and the taxonomy tag each adds.
KEYWORD_TAGS = {
    "math_science_pedagogy": ("math", "mathematics", "science", "stem", "algebra"),
    "ela_social_science_pedagogy": (
        "literacy",
        "reading",
        "writing",
        "ela",
        "english language arts",
        "social science",
        "history",
    ),
    "college_readiness": ("college", "a-g", "career readiness", "college and career"),
    "systemness": ("coherence", "systemness", "system", "systems", "alignment"),
    "standards_implementation": ("common core", "standards"),
    "priority_2_state_standards": ("common core", "state standards"),
    "lcap_development": ("lcap",),
    "parent_engagement": ("parent", "parents", "family", "families"),
    "priority_3_parental_involvement": ("parent", "parents", "family", "families"),
    "priority_4_pupil_achievement": ("achievement", "caaspp", "proficiency", "test scores"),
    "priority_5_pupil_engagement": (
        "attendance",
        "absenteeism",
        "chronic absence",
        "dropout",
        "graduation",
    ),
    "priority_6_school_climate": ("suspension", "suspensions", "climate", "discipline"),
    "priority_7_course_access": ("course access", "broad course"),
    "priority_1_basic_services": ("facilities", "credentialed", "textbooks", "basic services"),
    "quality_of_teaching": ("teacher", "teachers", "teaching", "instruction", "instructional"),
    "leadership": ("leadership", "leaders", "principal", "principals"),
}
STUDENT_GROUP_KEYWORDS = {
    "english_learners": (
        "english learner",
        "english learners",
        "els",
        "ell",
        "ells",
        "multilingual learners",
        "emergent bilingual",
    ),
    "frpm": (
        "low-income",
        "low income",
        "socioeconomically disadvantaged",
        "free or reduced",
        "frpm",
        "poverty",
    ),
    "foster_youth": ("foster", "foster youth"),
    "exceptional_needs": (
        "students with disabilities",
        "disabilities",
        "special education",
        "iep",
        "exceptional needs",
        "swd",
    ),
}


def _compile(table: dict) -> dict:
    return {
        tag: re.compile(r"\b(?:" + "|".join(re.escape(p) for p in phrases) + r")\b", re.I)
        for tag, phrases in table.items()
    }


_KEYWORDS = _compile(KEYWORD_TAGS)
_GROUPS = _compile(STUDENT_GROUP_KEYWORDS)


def tags_in(text: str, patterns=None) -> frozenset[str]:
    """Return the taxonomy tags whose phrases the text contains."""
    patterns = _KEYWORDS if patterns is None else patterns
    return frozenset(tag for tag, pattern in patterns.items() if pattern.search(text or ""))


def student_groups_in(text: str) -> frozenset[str]:
    return tags_in(text, _GROUPS)


def lea_profile(lea, student_groups: frozenset[str] = frozenset()) -> ranking.LeaProfile:
    return ranking.LeaProfile(
        lea_id=lea.pk,
        name=lea.name,
        lea_type=lea.lea_type,
        county_code=lea.county_code,
        size_band=None,
        student_groups=student_groups,
    )


def need_of(req: AssistanceRequest, problem_of_practice: str | None = None) -> ranking.Need:
    """Return the need of a request (an engagement passes its current problem of practice)."""
    groups = student_groups_in(req.student_groups)
    text = req.problem_of_practice if problem_of_practice is None else problem_of_practice
    types = [t for t in (req.assistance_types or []) if t in ASSISTANCE_TYPE_TAGS]
    tags = set(tags_in(text)) | set(groups)
    for assistance_type in types:
        tags.update(ASSISTANCE_TYPE_TAGS[assistance_type])
    kinds = frozenset(ASSISTANCE_TYPE_KINDS[t] for t in types if t in ASSISTANCE_TYPE_KINDS)
    return ranking.Need(lea=lea_profile(req.lea, groups), tags=frozenset(tags), kinds=kinds)


def current_problems(engagement_ids) -> dict[int, str]:
    """Return {engagement id: the text of its latest problem-of-practice version} (one query)."""
    rows = (
        ProblemOfPractice.objects.filter(engagement_id__in=engagement_ids)
        .order_by("engagement_id", "number")
        .values_list("engagement_id", "text")
    )
    return dict(rows)  # the last version of each engagement wins


def need_of_engagement(engagement: Engagement) -> ranking.Need:
    problem = current_problems([engagement.pk]).get(engagement.pk)
    return need_of(engagement.request, problem)


# --- Candidates ----------------------------------------------------------------------------


@dataclass
class _Results:
    met: int = 0
    measured: int = 0


def _indicator_results(engagement_ids) -> dict[int, _Results]:
    """Return each engagement's indicators met and measured (one query)."""
    latest = Measurement.objects.filter(indicator=OuterRef("pk")).order_by("-measured_on", "-pk")
    indicators = Indicator.objects.filter(engagement_id__in=engagement_ids).annotate(
        latest_value=Subquery(latest.values("value")[:1]),
        latest_on=Subquery(latest.values("measured_on")[:1]),
    )
    results: dict[int, _Results] = {}
    for indicator in indicators:
        met = _indicator_met(indicator)
        if met is None:
            continue
        tally = results.setdefault(indicator.engagement_id, _Results())
        tally.measured += 1
        tally.met += int(met)
    return results


def _indicator_met(indicator) -> bool | None:
    if indicator.final_value is not None:
        return indicator.target_met
    if indicator.latest_value is None:
        return None
    return not is_off_track(indicator, indicator.latest_value, indicator.latest_on)


# What need_of reads of a past engagement's request and LEA.
PAST_ENGAGEMENT_FIELDS = (
    "request__problem_of_practice",
    "request__student_groups",
    "request__assistance_types",
    "request__lea__name",
    "request__lea__lea_type",
    "request__lea__county_code",
)


def _past_engagements(provider_ids) -> dict[int, list[ranking.PastEngagement]]:
    """Return each provider's past engagements as ranking inputs (four queries).

    `provider_ids` may be a list or a subquery of provider ids.
    """
    pairs = sorted(
        set(
            ProviderAssignment.objects.filter(
                provider_id__in=provider_ids, engagement__isnull=False
            ).values_list("provider_id", "engagement_id")
        )
    )
    engagement_ids = {engagement_id for _provider_id, engagement_id in pairs}
    engagements = Engagement.objects.filter(pk__in=engagement_ids).select_related("request__lea")
    engagements = engagements.only(*PAST_ENGAGEMENT_FIELDS).in_bulk()
    problems = current_problems(engagement_ids)
    results = _indicator_results(engagement_ids)
    # One PastEngagement per engagement, shared by the providers assigned to it.
    by_engagement: dict[int, ranking.PastEngagement] = {}
    past: dict[int, list[ranking.PastEngagement]] = {}
    for provider_id, engagement_id in pairs:
        engagement = engagements[engagement_id]
        if engagement.pk not in by_engagement:
            need = need_of(engagement.request, problems.get(engagement.pk))
            tally = results.get(engagement.pk, _Results())
            by_engagement[engagement.pk] = ranking.PastEngagement(
                lea=need.lea,
                tags=need.tags,
                indicators_met=tally.met,
                indicators_measured=tally.measured,
            )
        past.setdefault(provider_id, []).append(by_engagement[engagement.pk])
    return past


# What ranking reads of a provider (values, not model instances: 2,000 rows stay cheap).
CANDIDATE_FIELDS = (
    "pk",
    "name",
    "kind",
    "status",
    "expertise",
    "capacity",
    "active_engagements",
    "counties",
    "statewide",
    "lea_id",
)


def candidates(need: ranking.Need) -> list[ranking.Candidate]:
    """Return every provider not removed from the registry as a ranking candidate.

    Fixed queries whatever the number of providers: the providers with their load, their
    conflicts with the need's LEA, and their past engagements (assignments, engagements,
    problems of practice, indicators).
    """
    in_registry = Provider.objects.exclude(status=ProviderStatus.REMOVED)
    providers = list(in_registry.with_load().order_by("pk").values(*CANDIDATE_FIELDS))
    conflicts: dict[int, list[ranking.Conflict]] = {}
    if need.lea.lea_id is not None:
        rows = ProviderConflict.objects.filter(
            lea_id=need.lea.lea_id, provider__in=in_registry.values("pk")
        )
        for c in rows:
            conflicts.setdefault(c.provider_id, []).append(
                ranking.Conflict(
                    lea_id=c.lea_id, kind=c.get_kind_display(), description=c.description
                )
            )
    past = _past_engagements(in_registry.values("pk"))
    return [_candidate(p, conflicts, past) for p in providers]


def _candidate(p: dict, conflicts, past) -> ranking.Candidate:
    return ranking.Candidate(
        provider_id=p["pk"],
        name=p["name"],
        kind=p["kind"],
        status=p["status"],
        expertise=frozenset(p["expertise"] or ()),
        capacity=p["capacity"],
        load=p["active_engagements"],
        counties=frozenset(p["counties"] or ()),
        statewide=p["statewide"],
        lea_id=p["lea_id"],
        conflicts=tuple(conflicts.get(p["pk"], ())),
        past=tuple(past.get(p["pk"], ())),
    )


def rank_for_request(req: AssistanceRequest) -> ranking.Ranking:
    need = need_of(req)
    return ranking.rank(need, candidates(need))


def rank_for_engagement(engagement: Engagement) -> ranking.Ranking:
    need = need_of_engagement(engagement)
    return ranking.rank(need, candidates(need))


# --- Cohort suggestions ----------------------------------------------------------------------

# A request is open from submission until it is decided, and after approval until its
# engagement opens; an engagement until it is completed or closed.
OPEN_REQUEST_STATUSES = (
    RequestStatus.SUBMITTED,
    RequestStatus.VERIFIED,
    RequestStatus.UNDER_REVIEW,
    RequestStatus.INFORMATION_REQUESTED,
    RequestStatus.APPROVED,
)
ENDED_ENGAGEMENT_STATUSES = (EngagementStatus.COMPLETED, EngagementStatus.CLOSED)


def cohort_items() -> list[cohorts.Item]:
    """Return the open requests and the engagements under way as cohort items (three queries)."""
    requests = AssistanceRequest.objects.filter(
        status__in=OPEN_REQUEST_STATUSES, engagement__isnull=True
    ).select_related("lea")
    engagements = list(
        Engagement.objects.exclude(status__in=ENDED_ENGAGEMENT_STATUSES).select_related(
            "request__lea"
        )
    )
    problems = current_problems([e.pk for e in engagements])
    items = []
    for req in requests:
        need = need_of(req)
        label = f"{req.reference or f'Request #{req.pk}'} — {req.lea.name}"
        items.append(cohorts.Item(cohorts.REQUEST, req.pk, label, need.lea, need.tags))
    for engagement in engagements:
        need = need_of(engagement.request, problems.get(engagement.pk))
        label = f"Engagement {engagement.request.reference} — {engagement.request.lea.name}"
        items.append(cohorts.Item(cohorts.ENGAGEMENT, engagement.pk, label, need.lea, need.tags))
    return items


def cohort_member_keys() -> list[frozenset]:
    """Return each cohort's members as item keys (two queries)."""
    members: dict[int, set] = {}
    for cohort_id, pk in Cohort.requests.through.objects.values_list(
        "cohort_id", "assistancerequest_id"
    ):
        members.setdefault(cohort_id, set()).add((cohorts.REQUEST, pk))
    for cohort_id, pk in Cohort.engagements.through.objects.values_list(
        "cohort_id", "engagement_id"
    ):
        members.setdefault(cohort_id, set()).add((cohorts.ENGAGEMENT, pk))
    return [frozenset(keys) for keys in members.values()]


def cohort_suggestions() -> list[cohorts.Suggestion]:
    return cohorts.suggest_pairs(cohort_items(), together=cohort_member_keys())
