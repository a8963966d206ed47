"""Decide which parts of EC 52074 (g)/(h), EC 52072(a) and CCEE's minimum threshold apply.

Plain Python with no Django import: the intake form, the admin, the ``evaluate_eligibility``
command and the benchmark all run these same rules, and the tests run them without a database.

Every finding names the provision it rests on, so a reviewer can check each conclusion against
the statute (seeds/002) rather than trust the code.

The words and limits the pages show about the law are defined here once (FACT_LABELS,
COST_BASIS_LABELS, PATHWAY_LABELS, the months limits); the statute text is in statute.py.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# Bump whenever any rule, code, citation or message changes: stored determinations keep the
# version they were computed under, so an old one can be told apart from a recomputed one.
# tests/eligibility/test_rules_version.py pins a fingerprint of the behaviour to this string.
RULES_VERSION = "2026-12-01.1"

SCHOOL_DISTRICT = "school_district"
COUNTY_OFFICE = "county_office"
CHARTER_SCHOOL = "charter_school"
LEA_TYPES = (SCHOOL_DISTRICT, COUNTY_OFFICE, CHARTER_SCHOOL)

LEA_TYPE_LABELS = {
    SCHOOL_DISTRICT: "school district",
    COUNTY_OFFICE: "county office of education",
    CHARTER_SCHOOL: "charter school",
}

G1A, G1B, G2A, G3 = "g1A", "g1B", "g2A", "g3"
# CCEE's intensive assistance to a school district under EC 52072(a) as re-enacted by SB 114
# (Stats. 2023, ch. 48, sections 72-73); other tools rely on the code "52072a".
IA_52072A = "52072a"
# In the order the determination lists them: the referrals of (g)(1) and (g)(2), then 52072(a),
# then (g)(3), which applies only when none of the others does.
PATHWAYS = (G1A, G1B, G2A, IA_52072A, G3)

CITE_G1A = "EC 52074(g)(1)(A)"
CITE_G1B = "EC 52074(g)(1)(B)"
CITE_G2A = "EC 52074(g)(2)(A)"
CITE_G2B = "EC 52074(g)(2)(B)"
CITE_G3 = "EC 52074(g)(3)"
CITE_H = "EC 52074(h)"
CITE_52072A = "EC 52072(a)"
CITE_THRESHOLD = "CCEE RFA criteria (minimum threshold)"
# The LEA type decides which of (g)(1)(A), (g)(2) and (h) can apply at all.
CITE_LEA_TYPE = "EC 52074(g) and (h)"

PATHWAY_CITATIONS = {
    G1A: CITE_G1A,
    G1B: CITE_G1B,
    G2A: CITE_G2A,
    IA_52072A: CITE_52072A,
    G3: CITE_G3,
}

PATHWAY_LABELS = {
    G1A: "Referred by the county superintendent of schools",
    G1B: "Referred by the State Superintendent of Public Instruction",
    G2A: "Deemed referred after an emergency apportionment",
    IA_52072A: "Intensive assistance: CCEE determines whether its assistance is necessary",
    G3: "Requested by the LEA, with reimbursement of CCEE's costs",
}

STATE_FUNDED = "state_funded"
SHARED_COST = "shared_cost"
REIMBURSABLE = "reimbursable"
COST_BASES = (STATE_FUNDED, SHARED_COST, REIMBURSABLE)

COST_BASIS_LABELS = {
    STATE_FUNDED: "Funded by the state",
    SHARED_COST: "Cost shared among the agencies providing assistance",
    REIMBURSABLE: "Reimbursed to CCEE by the LEA",
}

INFO = "info"
WARNING = "warning"
SEVERITIES = (INFO, WARNING)

PRIORITY_TIERS = (1, 2, 3)

MIN_MONTHS = 1
MAX_MONTHS = 120
# CCEE's published criteria: "a presenting need that CCEE can address in nine months or less".
THRESHOLD_MAX_MONTHS = 9

BOOLEAN_FIELDS = (
    "coe_technical_assistance_provided",
    "coe_superintendent_determined_necessary",
    "geographic_lead_agrees",
    "spi_determined_necessary",
    "emergency_apportionment",
    "at_risk_of_state_intervention",
    "intensive_assistance_criteria_met",
    "agrees_to_reimburse",
)
PARTNER_BOOLEAN_FIELDS = ("county_office", "geographic_lead")
TOP_LEVEL_FIELDS = ("lea_type", *BOOLEAN_FIELDS, "estimated_months", "partners")

# Field names as diff_facts() reports them: partners are flattened so that each differing
# partner shows on its own row in the admin.
FACT_FIELDS = (
    "lea_type",
    *BOOLEAN_FIELDS,
    "estimated_months",
    "partners.county_office",
    "partners.geographic_lead",
    "partners.other",
)

# How a person reads each fact: the labels of the intake form's boxes, of the reviewers'
# verified-facts form and of the differences between the two. One wording, said of the LEA in
# the third person, so that it reads the same to the LEA and to CCEE.
FACT_LABELS = {
    "lea_type": "Type of local educational agency",
    "coe_technical_assistance_provided": (
        "The county office provided technical assistance first (EC 52071 or 47607.3)"
    ),
    "coe_superintendent_determined_necessary": (
        "The county superintendent of schools determined that CCEE's help is necessary"
    ),
    "geographic_lead_agrees": "The geographic lead agency (EC 52073) agrees",
    "spi_determined_necessary": (
        "The State Superintendent of Public Instruction determined that CCEE's help is necessary"
    ),
    "emergency_apportionment": "The district received an emergency apportionment (EC 41320)",
    # Seed 002 quotes (h) as citing 52072(b); since SB 114 the criteria for districts are in
    # 52072.1, which the label says so that nobody chases the changed subdivision.
    "at_risk_of_state_intervention": (
        "The LEA is at risk of qualifying for state intervention (EC 52072(b)); since SB 114"
        " the intervention criteria for districts are in EC 52072.1"
    ),
    "intensive_assistance_criteria_met": (
        "The district met the differentiated-assistance criteria of EC 52064.5(g) for three or"
        " more pupil subgroups (or for all of them, if it has fewer than three) in three out of"
        " four consecutive school years (EC 52072(a))"
    ),
    "agrees_to_reimburse": (
        "The LEA agrees to reimburse CCEE for the cost of its services if no referral applies"
        " (EC 52074(g)(3))"
    ),
    "estimated_months": "Months needed to address the presenting need",
    "partners": "Improvement partners currently engaged",
    "partners.county_office": "The county office of education is engaged as a partner",
    "partners.geographic_lead": "The geographic lead agency is engaged as a partner",
    "partners.other": "Other improvement partners engaged",
}


class FactsError(ValueError):
    """Facts that cannot be evaluated: ``field`` names the fact, ``problem`` says what is wrong."""

    def __init__(self, field: str, problem: str) -> None:
        self.field = field
        self.problem = problem
        super().__init__(f"{field}: {problem}")


@dataclass(frozen=True, slots=True)
class Partners:
    """The improvement partners an LEA says are currently engaged."""

    county_office: bool = False
    geographic_lead: bool = False
    other: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Return the partners in the JSON shape the facts use."""
        return {
            "county_office": self.county_office,
            "geographic_lead": self.geographic_lead,
            "other": list(self.other),
        }


@dataclass(frozen=True, slots=True)
class Facts:
    """What an LEA attests (or a reviewer verifies) about a request, validated."""

    lea_type: str
    estimated_months: int
    coe_technical_assistance_provided: bool = False
    coe_superintendent_determined_necessary: bool = False
    geographic_lead_agrees: bool = False
    spi_determined_necessary: bool = False
    emergency_apportionment: bool = False
    at_risk_of_state_intervention: bool = False
    intensive_assistance_criteria_met: bool = False
    agrees_to_reimburse: bool = False
    partners: Partners = field(default_factory=Partners)

    def to_dict(self) -> dict[str, Any]:
        """Return every fact, defaults included, in the JSON shape ``parse_facts`` reads."""
        data: dict[str, Any] = {"lea_type": self.lea_type}
        for name in BOOLEAN_FIELDS:
            data[name] = getattr(self, name)
        data["estimated_months"] = self.estimated_months
        data["partners"] = self.partners.to_dict()
        return data


@dataclass(frozen=True, slots=True)
class Finding:
    """One conclusion of the rules, with the provision it rests on."""

    code: str
    severity: str
    citation: str
    message: str

    def to_dict(self) -> dict[str, str]:
        """Return the finding as the JSON object stored with a determination."""
        return {
            "code": self.code,
            "severity": self.severity,
            "citation": self.citation,
            "message": self.message,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Finding:
        """Return the finding stored as ``data``, raising ValueError if its shape is wrong."""
        if not isinstance(data, Mapping):
            raise ValueError("a finding must be an object")
        _require_keys(data, ("code", "severity", "citation", "message"), "finding")
        for key in ("code", "citation", "message"):
            if not isinstance(data[key], str) or not data[key]:
                raise ValueError(f"finding {key} must be non-empty text")
        if data["severity"] not in SEVERITIES:
            raise ValueError(f"finding severity must be one of {', '.join(SEVERITIES)}")
        return cls(data["code"], data["severity"], data["citation"], data["message"])


@dataclass(frozen=True, slots=True)
class Determination:
    """What the rules concluded for one set of facts, under ``rules_version``."""

    pathways: tuple[str, ...]
    cost_basis: str
    systemic_review_required: bool
    h_priority: bool
    meets_ccee_threshold: bool
    priority_tier: int
    findings: tuple[Finding, ...]
    rules_version: str = RULES_VERSION

    @property
    def codes(self) -> tuple[str, ...]:
        """Return the finding codes, in the order the findings were made."""
        return tuple(f.code for f in self.findings)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        """Return the findings a person should act on."""
        return tuple(f for f in self.findings if f.severity == WARNING)

    @property
    def infos(self) -> tuple[Finding, ...]:
        """Return the findings that explain what applies."""
        return tuple(f for f in self.findings if f.severity == INFO)

    @property
    def is_current(self) -> bool:
        """Return whether this determination was computed under the rules in force now."""
        return self.rules_version == RULES_VERSION

    def to_dict(self) -> dict[str, Any]:
        """Return the determination as the JSON object the command prints and requests store."""
        return {
            "pathways": list(self.pathways),
            "cost_basis": self.cost_basis,
            "systemic_review_required": self.systemic_review_required,
            "h_priority": self.h_priority,
            "meets_ccee_threshold": self.meets_ccee_threshold,
            "priority_tier": self.priority_tier,
            "findings": [f.to_dict() for f in self.findings],
            "rules_version": self.rules_version,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Determination:
        """Return the determination stored as ``data``, raising ValueError if its shape is wrong.

        The stored rules version is kept as it is: an old determination stays old.
        """
        if not isinstance(data, Mapping):
            raise ValueError("a determination must be an object")
        _require_keys(
            data,
            (
                "pathways",
                "cost_basis",
                "systemic_review_required",
                "h_priority",
                "meets_ccee_threshold",
                "priority_tier",
                "findings",
                "rules_version",
            ),
            "determination",
        )
        pathways = data["pathways"]
        if not isinstance(pathways, list | tuple) or any(p not in PATHWAYS for p in pathways):
            raise ValueError(f"determination pathways must be a list drawn from {PATHWAYS}")
        if data["cost_basis"] not in COST_BASES:
            raise ValueError(f"determination cost_basis must be one of {', '.join(COST_BASES)}")
        for key in ("systemic_review_required", "h_priority", "meets_ccee_threshold"):
            if not isinstance(data[key], bool):
                raise ValueError(f"determination {key} must be true or false")
        tier = data["priority_tier"]
        if isinstance(tier, bool) or tier not in PRIORITY_TIERS:
            raise ValueError("determination priority_tier must be 1, 2 or 3")
        if not isinstance(data["findings"], list | tuple):
            raise ValueError("determination findings must be a list")
        if not isinstance(data["rules_version"], str) or not data["rules_version"]:
            raise ValueError("determination rules_version must be non-empty text")
        return cls(
            pathways=tuple(pathways),
            cost_basis=data["cost_basis"],
            systemic_review_required=data["systemic_review_required"],
            h_priority=data["h_priority"],
            meets_ccee_threshold=data["meets_ccee_threshold"],
            priority_tier=tier,
            findings=tuple(Finding.from_dict(f) for f in data["findings"]),
            rules_version=data["rules_version"],
        )


def _require_keys(data: Mapping[str, Any], keys: tuple[str, ...], what: str) -> None:
    missing = [k for k in keys if k not in data]
    if missing:
        raise ValueError(f"{what} is missing {', '.join(missing)}")


def _is_bool(value: object) -> bool:
    return isinstance(value, bool)


def _is_months(value: object) -> bool:
    # bool is a subclass of int, and true must not pass for one month.
    return (
        isinstance(value, int) and not isinstance(value, bool) and MIN_MONTHS <= value <= MAX_MONTHS
    )


MONTHS_PROBLEM = f"must be a whole number from {MIN_MONTHS} to {MAX_MONTHS}"
BOOLEAN_PROBLEM = "must be true or false"


def parse_facts(data: Mapping[str, Any]) -> Facts:
    """Return validated Facts from a JSON-shaped mapping, raising FactsError on the first problem.

    Booleans left out are false; ``partners`` left out means no partner is engaged. Unknown
    fields are refused rather than ignored, because a misspelt fact silently read as false
    would change the determination without anyone noticing.
    """
    if not isinstance(data, Mapping):
        raise FactsError("facts", "must be a JSON object")

    if "lea_type" not in data:
        raise FactsError("lea_type", "is required")
    lea_type = data["lea_type"]
    if not isinstance(lea_type, str) or lea_type not in LEA_TYPES:
        raise FactsError("lea_type", f"must be one of {', '.join(LEA_TYPES)}")

    booleans: dict[str, bool] = {}
    for name in BOOLEAN_FIELDS:
        value = data.get(name, False)
        if not _is_bool(value):
            raise FactsError(name, BOOLEAN_PROBLEM)
        booleans[name] = value

    if "estimated_months" not in data:
        raise FactsError(
            "estimated_months", f"is required (a whole number from {MIN_MONTHS} to {MAX_MONTHS})"
        )
    months = data["estimated_months"]
    if not _is_months(months):
        raise FactsError("estimated_months", MONTHS_PROBLEM)

    partners = _parse_partners(data.get("partners", {}))

    unknown = sorted(str(k) for k in data if k not in TOP_LEVEL_FIELDS)
    if unknown:
        raise FactsError(unknown[0], "is not a known fact")

    return Facts(lea_type=lea_type, estimated_months=months, partners=partners, **booleans)


def _parse_partners(data: object) -> Partners:
    if not isinstance(data, Mapping):
        raise FactsError("partners", "must be an object")
    flags: dict[str, bool] = {}
    for name in PARTNER_BOOLEAN_FIELDS:
        value = data.get(name, False)
        if not _is_bool(value):
            raise FactsError(f"partners.{name}", BOOLEAN_PROBLEM)
        flags[name] = value
    other = data.get("other", [])
    if not isinstance(other, list | tuple):
        raise FactsError("partners.other", "must be a list of partner names")
    names: list[str] = []
    for index, name in enumerate(other):
        if not isinstance(name, str):
            raise FactsError(f"partners.other[{index}]", "must be a partner name (text)")
        # Blank entries come from empty form rows; they name no partner.
        if name.strip():
            names.append(name.strip())
    unknown = sorted(str(k) for k in data if k not in (*PARTNER_BOOLEAN_FIELDS, "other"))
    if unknown:
        raise FactsError(f"partners.{unknown[0]}", "is not a known partner field")
    return Partners(other=tuple(names), **flags)


def _a(label: str) -> str:
    """Return ``label`` with its indefinite article."""
    return f"an {label}" if label[0] in "aeiou" else f"a {label}"


def _lea_label(lea_type: object) -> str:
    if isinstance(lea_type, str) and lea_type in LEA_TYPE_LABELS:
        return LEA_TYPE_LABELS[lea_type]
    return json.dumps(lea_type)


def evaluate(
    facts: Facts | Mapping[str, Any], directory: Mapping[str, Any] | None = None
) -> Determination:
    """Return the Determination for ``facts`` (a mapping is parsed first; FactsError if invalid).

    ``directory`` is what the LEA directory holds for the requesting LEA (at least
    ``{"lea_type": ...}``). A contradiction is reported as a warning, and the rules still run on
    the attested facts: a reviewer who finds the directory right records verified facts instead.

    Each subsection is decided by its own function below, in the statute's order; the findings
    keep that order.
    """
    if not isinstance(facts, Facts):
        facts = parse_facts(facts)
    findings = _directory_findings(facts, directory)
    g1a, found = _g1a(facts)
    findings += found
    g1b, found = _g1b(facts)
    findings += found
    g2a, found = _g2a(facts)
    findings += found
    ia, found = _ia_52072a(facts)
    findings += found
    g3, found = _g3(facts, referred=g1a or g1b or g2a or ia)
    findings += found
    h_priority, found = _h(facts)
    findings += found
    meets_threshold, found = _threshold(facts)
    findings += found

    applies = {G1A: g1a, G1B: g1b, G2A: g2a, IA_52072A: ia, G3: g3}
    pathways = tuple(p for p in PATHWAYS if applies[p])
    return Determination(
        pathways=pathways,
        cost_basis=_cost_basis(g1a=g1a, g1b=g1b, g2a=g2a, ia=ia),
        systemic_review_required=g2a,
        h_priority=h_priority,
        meets_ccee_threshold=meets_threshold,
        priority_tier=_priority_tier(h_priority=h_priority, meets_threshold=meets_threshold, g3=g3),
        findings=tuple(findings),
    )


# Each function below decides one subsection: whether it applies, and the findings that say why
# (or why not), citing the subsection.
Outcome = tuple[bool, list[Finding]]


def _directory_findings(facts: Facts, directory: Mapping[str, Any] | None) -> list[Finding]:
    """Return a warning when the LEA directory lists the LEA as another type than the request."""
    if directory is None:
        return []
    if not isinstance(directory, Mapping):
        raise FactsError("directory", "must be an object")
    listed = directory.get("lea_type")
    if listed is None or listed == facts.lea_type:
        return []
    return [
        Finding(
            "DIRECTORY_LEA_TYPE_MISMATCH",
            WARNING,
            CITE_LEA_TYPE,
            f"The request says the LEA is {_a(LEA_TYPE_LABELS[facts.lea_type])}, but the LEA"
            f" directory lists it as {_a(_lea_label(listed))}; these rules were applied to the"
            " type stated in the request.",
        )
    ]


def _g1a(facts: Facts) -> Outcome:
    """(g)(1)(A): a county superintendent's referral of a school district or charter school.

    It needs the determination, the technical assistance before it, and the geographic lead
    agency's agreement.
    """
    district_or_charter = facts.lea_type in (SCHOOL_DISTRICT, CHARTER_SCHOOL)
    determined = facts.coe_superintendent_determined_necessary
    if (
        district_or_charter
        and determined
        and facts.coe_technical_assistance_provided
        and facts.geographic_lead_agrees
    ):
        return True, [
            Finding(
                "G1A_APPLIES",
                INFO,
                CITE_G1A,
                "After providing technical assistance, the county superintendent of schools"
                " determined that CCEE's help is necessary and the geographic lead agency"
                " agrees, so CCEE may accept this referral.",
            )
        ]
    if determined and facts.lea_type == COUNTY_OFFICE:
        return False, [
            Finding(
                "G1A_NOT_APPLICABLE_COE",
                WARNING,
                CITE_G1A,
                "A county superintendent's determination under (g)(1)(A) refers a school"
                " district or charter school; it does not apply to a county office of"
                " education requesting help for itself.",
            )
        ]
    if determined:
        return False, _g1a_missing_conditions(facts)
    if district_or_charter and (
        facts.coe_technical_assistance_provided or facts.geographic_lead_agrees
    ):
        return False, [
            Finding(
                "G1A_MISSING_COE_DETERMINATION",
                INFO,
                CITE_G1A,
                "Part of a county referral is reported, but (g)(1)(A) also needs the county"
                " superintendent's determination that CCEE's help is necessary, which is not"
                " reported.",
            )
        ]
    return False, []


def _g1a_missing_conditions(facts: Facts) -> list[Finding]:
    """Return what a county superintendent's determination still lacks under (g)(1)(A)."""
    findings = []
    if not facts.coe_technical_assistance_provided:
        findings.append(
            Finding(
                "G1A_MISSING_TECHNICAL_ASSISTANCE",
                WARNING,
                CITE_G1A,
                "The county superintendent's determination counts under (g)(1)(A) only"
                " after the county office has provided technical assistance under EC 52071"
                " or 47607.3, and none is reported.",
            )
        )
    if not facts.geographic_lead_agrees:
        findings.append(
            Finding(
                "G1A_MISSING_GEOGRAPHIC_LEAD",
                WARNING,
                CITE_G1A,
                "The county superintendent's determination counts under (g)(1)(A) only if"
                " the county's geographic lead agency (EC 52073) agrees, and its agreement"
                " is not reported.",
            )
        )
    return findings


def _g1b(facts: Facts) -> Outcome:
    """(g)(1)(B): the State Superintendent may refer any LEA type."""
    if not facts.spi_determined_necessary:
        return False, []
    return True, [
        Finding(
            "G1B_APPLIES",
            INFO,
            CITE_G1B,
            "The State Superintendent of Public Instruction determined that CCEE's help is"
            " necessary, so CCEE may accept this referral.",
        )
    ]


def _g2a(facts: Facts) -> Outcome:
    """(g)(2): only a school district is deemed referred by an emergency apportionment.

    Then (g)(2)(B) adds a systemic review, and the cost is shared.
    """
    if not facts.emergency_apportionment:
        return False, []
    if facts.lea_type != SCHOOL_DISTRICT:
        return False, [
            Finding(
                "G2A_NOT_APPLICABLE",
                WARNING,
                CITE_G2A,
                "Only a school district is deemed referred after an emergency apportionment;"
                f" this does not apply to {_a(LEA_TYPE_LABELS[facts.lea_type])}.",
            )
        ]
    return True, [
        Finding(
            "G2A_APPLIES",
            INFO,
            CITE_G2A,
            "The district received an emergency apportionment under EC 41320 and"
            " following, so it is deemed referred to CCEE.",
        ),
        Finding(
            "SYSTEMIC_REVIEW_REQUIRED",
            INFO,
            CITE_G2B,
            "Because the district is referred after an emergency apportionment, if CCEE"
            " provides assistance it must conduct a systemic review of the district and"
            " coordinate the help the agencies involved provide.",
        ),
        Finding(
            "COST_SHARED",
            INFO,
            CITE_G2B,
            "The cost of assistance is shared: the Legislature intends that no single"
            " agency helping the district bears the full cost.",
        ),
    ]


def _ia_52072a(facts: Facts) -> Outcome:
    """EC 52072(a): CCEE's intensive assistance, for a school district meeting its criteria.

    52072(a) speaks of school districts only; a charter school or county office reporting the
    criteria is told where its own assistance is provided, and no pathway is claimed for it.
    """
    if not facts.intensive_assistance_criteria_met:
        return False, []
    if facts.lea_type != SCHOOL_DISTRICT:
        return False, [
            Finding(
                "IA_52072A_NOT_APPLICABLE",
                WARNING,
                CITE_52072A,
                "EC 52072(a) speaks of school districts; it does not apply to"
                f" {_a(LEA_TYPE_LABELS[facts.lea_type])}. A charter school's technical"
                " assistance is the chartering authority's under EC 47607.3, and a county"
                " office's is the Superintendent's under EC 52071.5; CCEE's help is then asked"
                " for under EC 52074(g).",
            )
        ]
    return True, [
        Finding(
            "IA_52072A_APPLIES",
            INFO,
            CITE_52072A,
            "The district met the differentiated-assistance criteria for three or more pupil"
            " subgroups (or for all of them) in three out of four consecutive school years, so"
            " CCEE must determine, in consultation with the district and its provider of"
            " technical assistance under EC 52071, whether its assistance is necessary, giving"
            " primary consideration to the needs of the district's pupils.",
        )
    ]


def _g3(facts: Facts, *, referred: bool) -> Outcome:
    """(g)(3): outside (1), (2) and 52072(a) the LEA pays, and must have agreed to."""
    if referred:
        return False, []
    findings = [
        Finding(
            "REIMBURSEMENT_REQUIRED",
            WARNING,
            CITE_G3,
            "No referral under (g)(1) or (g)(2) applies, nor intensive assistance under"
            f" EC 52072(a), so the {LEA_TYPE_LABELS[facts.lea_type]} must reimburse CCEE for"
            " the cost of its services.",
        )
    ]
    if not facts.agrees_to_reimburse:
        findings.append(
            Finding(
                "REIMBURSEMENT_NOT_AGREED",
                WARNING,
                CITE_G3,
                "The request is made under (g)(3), which requires the LEA to reimburse CCEE for"
                " the cost of its services, and the LEA has not agreed to reimburse them.",
            )
        )
    return True, findings


def _cost_basis(*, g1a: bool, g1b: bool, g2a: bool, ia: bool) -> str:
    """Return who pays: shared under (g)(2); the state under (g)(1) or 52072(a); else the LEA."""
    if g2a:
        return SHARED_COST
    if g1a or g1b or ia:
        return STATE_FUNDED
    return REIMBURSABLE


def _h(facts: Facts) -> Outcome:
    """(h) speaks of school districts only; priority never changes who pays."""
    if not facts.at_risk_of_state_intervention:
        return False, []
    if facts.lea_type != SCHOOL_DISTRICT:
        return False, [
            Finding(
                "H_NOT_APPLICABLE",
                WARNING,
                CITE_H,
                "Priority under (h) is for school districts at risk of state intervention under"
                f" EC 52072(b); it does not apply to {_a(LEA_TYPE_LABELS[facts.lea_type])}"
                " (since SB 114 the intervention criteria for districts are in EC 52072.1).",
            )
        ]
    return True, [
        Finding(
            "H_PRIORITY",
            INFO,
            CITE_H,
            "The district is at risk of qualifying for state intervention under"
            " EC 52072(b), so it has priority for direct technical assistance; priority"
            " does not change who pays. Since SB 114 the intervention criteria for"
            " districts are in EC 52072.1.",
        )
    ]


PARTNER_WORDS = {
    "county_office": "the county office of education",
    "geographic_lead": "the geographic lead agency",
}


def _threshold(facts: Facts) -> Outcome:
    """CCEE's minimum threshold: at risk, a need of nine months or less, partners engaged.

    A county office requesting for itself cannot have itself as a partner.
    """
    county_office = facts.lea_type == COUNTY_OFFICE
    at_risk = facts.at_risk_of_state_intervention
    required_partners = ["geographic_lead"] if county_office else PARTNER_BOOLEAN_FIELDS
    missing_partners = [p for p in required_partners if not getattr(facts.partners, p)]
    short_enough = facts.estimated_months <= THRESHOLD_MAX_MONTHS
    meets_threshold = at_risk and short_enough and not missing_partners

    findings = []
    if meets_threshold:
        partner_words = (
            "the geographic lead agency"
            if county_office
            else "the county office and the geographic lead agency"
        )
        findings.append(
            Finding(
                "THRESHOLD_MET",
                INFO,
                CITE_THRESHOLD,
                "The request meets CCEE's minimum threshold: at risk of state intervention, a"
                f" need CCEE can address in {THRESHOLD_MAX_MONTHS} months or less, and"
                f" {partner_words} engaged as partners.",
            )
        )
    if not at_risk:
        findings.append(
            Finding(
                "THRESHOLD_NOT_AT_RISK",
                WARNING,
                CITE_THRESHOLD,
                "CCEE's minimum threshold asks that the LEA be at risk of qualifying for state"
                " intervention, and that is not reported.",
            )
        )
    if not short_enough:
        findings.append(
            Finding(
                "NEED_EXCEEDS_NINE_MONTHS",
                WARNING,
                CITE_THRESHOLD,
                f"The presenting need is estimated at {facts.estimated_months} months, longer"
                f" than the {THRESHOLD_MAX_MONTHS} months or less CCEE's minimum threshold asks"
                " for.",
            )
        )
    if missing_partners:
        findings.append(
            Finding(
                "PARTNERS_NOT_CONFIRMED",
                WARNING,
                CITE_THRESHOLD,
                "CCEE's minimum threshold asks that "
                + " and ".join(PARTNER_WORDS[p] for p in missing_partners)
                + " be engaged as improvement partners, and that is not confirmed.",
            )
        )
    return meets_threshold, findings


def _priority_tier(*, h_priority: bool, meets_threshold: bool, g3: bool) -> int:
    """Return 1 for an (h) district meeting the threshold, 2 for (h) or a pathway but (g)(3)."""
    if h_priority and meets_threshold:
        return 1
    if h_priority or not g3:
        return 2
    return 3


def _flatten(facts: Facts) -> dict[str, object]:
    data = facts.to_dict()
    partners = data.pop("partners")
    for key, value in partners.items():
        data[f"partners.{key}"] = value
    return data


def diff_facts(
    attested: Facts | Mapping[str, Any], verified: Facts | Mapping[str, Any]
) -> list[tuple[str, object, object]]:
    """Return (field, attested value, verified value) for each fact the reviewer changed.

    Both sides are validated and filled with defaults first, so a boolean left out on one side
    and false on the other is not a difference. Partners are compared one by one
    (``partners.county_office`` …), and other partners regardless of order or case.
    Fields come in FACT_FIELDS order; each is a key of FACT_LABELS.
    """
    left = _flatten(attested if isinstance(attested, Facts) else parse_facts(attested))
    right = _flatten(verified if isinstance(verified, Facts) else parse_facts(verified))
    differences = []
    for name in FACT_FIELDS:
        a, b = left[name], right[name]
        if name == "partners.other":
            same = sorted(s.casefold() for s in a) == sorted(s.casefold() for s in b)
        else:
            same = a == b
        if not same:
            differences.append((name, a, b))
    return differences
