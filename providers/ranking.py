"""Rank the assistance providers for one need, and say why, component by component.

Plain Python with no Django import: `providers.matching` reads the database into these
dataclasses, the candidates page shows the result, and the tests and the benchmark run it
without a database.

A candidate's score (0-100) is the sum of five components, each worth at most its weight:

- expertise: the share of the need's taxonomy tags the provider declares (seed 004: "authentic
  match of learning interest of supported district with capacity of assistance provider"),
  reduced when the provider is not of a kind the request asked for (district-to-district,
  coach, organisation);
- success: how its past engagements on a similar problem of practice did against their
  targets (seed 004: "a proven record of success in building capacity around that or similar
  problems of practice"), counting fully from SUCCESS_FULL_AT such engagements;
- similar LEAs: how close the most similar LEA it has served is to this one (type, enrolment
  band, county or region, student groups);
- capacity: the share of its capacity still free;
- region: whether it serves the LEA's county (or statewide), or only its region.

Excluded, with every reason that applies: a provider not approved, one with a declared
conflict of interest with the LEA, one with no capacity left, and the requesting LEA itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

# The weights: a component's maximum points. They sum to 100.
WEIGHT_EXPERTISE = 35
WEIGHT_SUCCESS = 25
WEIGHT_SIMILAR_LEAS = 20
WEIGHT_CAPACITY = 10
WEIGHT_REGION = 10

# Expertise points are multiplied by this when the request asked for other kinds of provider.
KIND_MISMATCH_FACTOR = 0.5
# Success counts in full from this many similar past engagements with results (fewer: pro rata).
SUCCESS_FULL_AT = 3
# Region points for a provider serving another county of the LEA's region (and not its own).
SAME_REGION_SHARE = 0.5
# Points are rounded to this many decimals; the score is the sum of the rounded points.
PRECISION = 2

APPROVED = "approved"

EXPERTISE = "expertise"
SUCCESS = "success"
SIMILAR_LEAS = "similar_leas"
CAPACITY = "capacity"
REGION = "region"

COMPONENT_WEIGHTS = {
    EXPERTISE: WEIGHT_EXPERTISE,
    SUCCESS: WEIGHT_SUCCESS,
    SIMILAR_LEAS: WEIGHT_SIMILAR_LEAS,
    CAPACITY: WEIGHT_CAPACITY,
    REGION: WEIGHT_REGION,
}
COMPONENT_LABELS = {
    EXPERTISE: "Expertise overlap",
    SUCCESS: "Success on similar past engagements",
    SIMILAR_LEAS: "Similar LEAs served",
    CAPACITY: "Capacity available",
    REGION: "Region",
}

NOT_APPROVED = "not_approved"
CONFLICT = "conflict"
NO_CAPACITY = "no_capacity"
SAME_LEA = "same_lea"

# Enrolment bands in order: adjacent bands count half as similar.
SIZE_BANDS = ("very_small", "small", "medium", "large", "very_large")
_BAND_INDEX = {band: n for n, band in enumerate(SIZE_BANDS)}

# CCSESA's eleven regions of the Statewide System of Support, by the two-digit county code of
# the CDS code (01 Alameda ... 58 Yuba).
COUNTY_REGIONS = {
    **dict.fromkeys(("08", "12", "17", "23", "49"), "1"),
    **dict.fromkeys(("04", "11", "18", "25", "32", "45", "47", "52", "53"), "2"),
    **dict.fromkeys(("02", "06", "09", "29", "31", "34", "46", "51", "57", "58"), "3"),
    **dict.fromkeys(("01", "07", "21", "28", "38", "41", "48"), "4"),
    **dict.fromkeys(("27", "35", "43", "44"), "5"),
    **dict.fromkeys(("03", "05", "39", "50", "55"), "6"),
    **dict.fromkeys(("10", "16", "20", "22", "24", "54"), "7"),
    **dict.fromkeys(("15", "40", "42", "56"), "8"),
    **dict.fromkeys(("13", "30", "37"), "9"),
    **dict.fromkeys(("14", "26", "33", "36"), "10"),
    "19": "11",
}


def region_of(county_code: str) -> str | None:
    """Return the CCSESA region of a two-digit county code, or None when it is not one."""
    return COUNTY_REGIONS.get(county_code)


@dataclass(frozen=True)
class LeaProfile:
    """What makes two LEAs alike: type, enrolment band, county and student groups."""

    lea_id: int | None
    name: str
    lea_type: str
    county_code: str
    size_band: str | None = None  # one of SIZE_BANDS, None when not known
    student_groups: frozenset[str] = frozenset()

    @cached_property
    def region(self) -> str | None:
        return region_of(self.county_code)


@dataclass(frozen=True)
class Need:
    """What a request or engagement needs: its LEA, taxonomy tags and preferred provider kinds."""

    lea: LeaProfile
    tags: frozenset[str]
    kinds: frozenset[str] = frozenset()  # empty: any kind of provider

    @property
    def region(self) -> str | None:
        return self.lea.region


@dataclass(frozen=True)
class PastEngagement:
    """One engagement a provider took part in: where, on what, and its indicators' results."""

    lea: LeaProfile
    tags: frozenset[str]
    indicators_met: int = 0  # indicators at or past their target (or on track, while running)
    indicators_measured: int = 0  # indicators with any result yet

    @property
    def outcome(self) -> float | None:
        """Return the share of measured indicators that met their target, None before results."""
        if not self.indicators_measured:
            return None
        return self.indicators_met / self.indicators_measured


@dataclass(frozen=True, slots=True)
class Conflict:
    lea_id: int
    kind: str
    description: str = ""


@dataclass(frozen=True)
class Candidate:
    """A provider as ranking sees it."""

    provider_id: int
    name: str
    kind: str
    status: str
    expertise: frozenset[str]
    capacity: int
    load: int  # engagements under way (or agreed and not yet executed)
    counties: frozenset[str] = frozenset()
    statewide: bool = False
    lea_id: int | None = None  # for a provider that is itself an LEA
    conflicts: tuple[Conflict, ...] = ()
    past: tuple[PastEngagement, ...] = ()

    @property
    def free(self) -> int:
        return max(self.capacity - self.load, 0)

    @cached_property
    def regions(self) -> frozenset[str]:
        return frozenset(r for r in map(region_of, self.counties) if r is not None)


@dataclass(frozen=True, slots=True)
class Component:
    """One component of a score: its points out of its weight, and the sentence behind them."""

    code: str
    points: float
    max_points: int
    detail: str

    @property
    def label(self) -> str:
        return COMPONENT_LABELS[self.code]


@dataclass(frozen=True, slots=True)
class Ranked:
    candidate: Candidate
    score: float
    components: tuple[Component, ...]


@dataclass(frozen=True, slots=True)
class Exclusion:
    code: str
    reason: str


@dataclass(frozen=True, slots=True)
class Excluded:
    candidate: Candidate
    reasons: tuple[Exclusion, ...]


@dataclass(frozen=True)
class Ranking:
    need: Need
    ranked: tuple[Ranked, ...] = ()
    excluded: tuple[Excluded, ...] = field(default=())


def rank(need: Need, candidates: Iterable[Candidate]) -> Ranking:
    """Return the candidates that may take the need, best first, and the others with reasons.

    Ties are broken by more free capacity, then by name, then by id, so the order is stable.
    """
    ranked, excluded = [], []
    for candidate in candidates:
        reasons = exclusions(need, candidate)
        if reasons:
            excluded.append(Excluded(candidate, reasons))
        else:
            ranked.append(score(need, candidate))
    ranked.sort(
        key=lambda r: (-r.score, -r.candidate.free, r.candidate.name, r.candidate.provider_id)
    )
    excluded.sort(key=lambda e: (e.candidate.name, e.candidate.provider_id))
    return Ranking(need=need, ranked=tuple(ranked), excluded=tuple(excluded))


def exclusions(need: Need, candidate: Candidate) -> tuple[Exclusion, ...]:
    """Return every reason the candidate may not take the need (empty when it may)."""
    reasons = []
    if candidate.status != APPROVED:
        reasons.append(Exclusion(NOT_APPROVED, f"Not approved (status: {candidate.status})."))
    lea_id = need.lea.lea_id
    for conflict in candidate.conflicts:
        if lea_id is not None and conflict.lea_id == lea_id:
            said = f": {conflict.description}" if conflict.description else ""
            reasons.append(
                Exclusion(
                    CONFLICT,
                    f"Conflict of interest with {need.lea.name} ({conflict.kind}){said}.",
                )
            )
    if candidate.free <= 0:
        reasons.append(
            Exclusion(
                NO_CAPACITY,
                f"No capacity: {candidate.load} engagement(s) under way of {candidate.capacity}.",
            )
        )
    if lea_id is not None and candidate.lea_id == lea_id:
        reasons.append(Exclusion(SAME_LEA, f"It is {need.lea.name} itself."))
    return tuple(reasons)


def score(need: Need, candidate: Candidate) -> Ranked:
    """Return the candidate's score and its five components."""
    components = (
        expertise_component(need, candidate),
        success_component(need, candidate),
        similar_leas_component(need, candidate),
        capacity_component(candidate),
        region_component(need, candidate),
    )
    total = round(sum(c.points for c in components), PRECISION)
    return Ranked(candidate=candidate, score=total, components=components)


def _points(weight: int, share: float) -> float:
    return round(weight * min(max(share, 0.0), 1.0), PRECISION)


def _tag_list(tags: Iterable[str]) -> str:
    return ", ".join(sorted(tags)) or "none"


def expertise_component(need: Need, candidate: Candidate) -> Component:
    if not need.tags:
        return Component(EXPERTISE, 0.0, WEIGHT_EXPERTISE, "The need names no expertise tags.")
    shared = need.tags & candidate.expertise
    share = len(shared) / len(need.tags)
    detail = f"{len(shared)} of {len(need.tags)} tags: {_tag_list(shared)}."
    if need.kinds and candidate.kind not in need.kinds:
        share *= KIND_MISMATCH_FACTOR
        detail += (
            f" Kind {candidate.kind} was not asked for ({_tag_list(need.kinds)}):"
            f" x{KIND_MISMATCH_FACTOR}."
        )
    return Component(EXPERTISE, _points(WEIGHT_EXPERTISE, share), WEIGHT_EXPERTISE, detail)


def similar_past(need: Need, candidate: Candidate) -> list[PastEngagement]:
    """Return the candidate's past engagements sharing a tag with the need."""
    return [p for p in candidate.past if p.tags & need.tags]


def success_component(need: Need, candidate: Candidate) -> Component:
    outcomes = [p.outcome for p in similar_past(need, candidate) if p.outcome is not None]
    if not outcomes:
        return Component(
            SUCCESS, 0.0, WEIGHT_SUCCESS, "No similar past engagement with results yet."
        )
    mean = sum(outcomes) / len(outcomes)
    weight_of_evidence = min(len(outcomes) / SUCCESS_FULL_AT, 1.0)
    detail = (
        f"{len(outcomes)} similar engagement(s) with results;"
        f" {mean:.0%} of their indicators met the target"
    )
    if weight_of_evidence < 1:
        detail += f"; counted {len(outcomes)}/{SUCCESS_FULL_AT}"
    return Component(
        SUCCESS, _points(WEIGHT_SUCCESS, mean * weight_of_evidence), WEIGHT_SUCCESS, detail + "."
    )


def _band_similarity(a: str | None, b: str | None) -> float | None:
    first, second = _BAND_INDEX.get(a), _BAND_INDEX.get(b)
    if first is None or second is None:
        return None
    distance = abs(first - second)
    return 1.0 if distance == 0 else 0.5 if distance == 1 else 0.0


def _place_similarity(a: LeaProfile, b: LeaProfile) -> float:
    if a.county_code == b.county_code:
        return 1.0
    if a.region is not None and a.region == b.region:
        return SAME_REGION_SHARE
    return 0.0


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float | None:
    if not a and not b:
        return None
    return len(a & b) / len(a | b)


def profile_similarity(a: LeaProfile, b: LeaProfile) -> float:
    """Return how alike two LEAs are, 0 to 1: the mean of the aspects known for both.

    Type and place are always known; enrolment band and student groups count only when known.
    """
    parts = [
        1.0 if a.lea_type == b.lea_type else 0.0,
        _place_similarity(a, b),
        _band_similarity(a.size_band, b.size_band),
        _jaccard(a.student_groups, b.student_groups),
    ]
    known = [p for p in parts if p is not None]
    return sum(known) / len(known)


def similar_leas_component(need: Need, candidate: Candidate) -> Component:
    served = [p.lea for p in candidate.past]
    if not served:
        return Component(SIMILAR_LEAS, 0.0, WEIGHT_SIMILAR_LEAS, "Has served no other LEA yet.")
    similarity, _name, best = max(
        ((profile_similarity(need.lea, lea), lea.name, lea) for lea in served),
        key=lambda scored: scored[:2],
    )
    detail = f"Most similar LEA served: {best.name} ({similarity:.0%} alike) of {len(served)}."
    return Component(
        SIMILAR_LEAS, _points(WEIGHT_SIMILAR_LEAS, similarity), WEIGHT_SIMILAR_LEAS, detail
    )


def capacity_component(candidate: Candidate) -> Component:
    share = candidate.free / candidate.capacity if candidate.capacity else 0.0
    detail = f"{candidate.free} of {candidate.capacity} engagement(s) free."
    return Component(CAPACITY, _points(WEIGHT_CAPACITY, share), WEIGHT_CAPACITY, detail)


def region_component(need: Need, candidate: Candidate) -> Component:
    county = need.lea.county_code
    if candidate.statewide:
        share, detail = 1.0, "Serves the whole state."
    elif county in candidate.counties:
        share, detail = 1.0, f"Serves the LEA's county ({county})."
    elif need.region is not None and need.region in candidate.regions:
        share, detail = (
            SAME_REGION_SHARE,
            f"Serves the LEA's region ({need.region}), not its county.",
        )
    else:
        share, detail = 0.0, "Serves neither the LEA's county nor its region."
    return Component(REGION, _points(WEIGHT_REGION, share), WEIGHT_REGION, detail)
