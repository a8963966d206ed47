"""Every combination of facts yields a valid determination that agrees with the rules as written.

The oracle below restates the rules from the issue independently of eligibility.rules, so a
slip in either shows up as a disagreement.
"""

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from eligibility.rules import (
    BOOLEAN_FIELDS,
    LEA_TYPES,
    RULES_VERSION,
    Determination,
    FactsError,
    diff_facts,
    evaluate,
    parse_facts,
)

CONDITIONAL_CODES = {
    "G1A_NOT_APPLICABLE_COE",
    "G1A_MISSING_TECHNICAL_ASSISTANCE",
    "G1A_MISSING_GEOGRAPHIC_LEAD",
    "G2A_NOT_APPLICABLE",
    "H_NOT_APPLICABLE",
    "NEED_EXCEEDS_NINE_MONTHS",
    "PARTNERS_NOT_CONFIRMED",
    "REIMBURSEMENT_REQUIRED",
    "SYSTEMIC_REVIEW_REQUIRED",
    "G1A_APPLIES",
    "G1B_APPLIES",
    "G2A_APPLIES",
    "H_PRIORITY",
    "THRESHOLD_MET",
    "DIRECTORY_LEA_TYPE_MISMATCH",
    "IA_52072A_APPLIES",
    "IA_52072A_NOT_APPLICABLE",
    "REIMBURSEMENT_NOT_AGREED",
}

partners_strategy = st.fixed_dictionaries(
    {},
    optional={
        "county_office": st.booleans(),
        "geographic_lead": st.booleans(),
        "other": st.lists(st.text(max_size=12), max_size=3),
    },
)

facts_strategy = st.fixed_dictionaries(
    {
        "lea_type": st.sampled_from(LEA_TYPES),
        # Mostly near the nine-month boundary, where the threshold changes.
        "estimated_months": st.one_of(st.integers(1, 120), st.integers(8, 11)),
    },
    # Booleans may be left out: missing means false.
    optional={name: st.booleans() for name in BOOLEAN_FIELDS} | {"partners": partners_strategy},
)

directory_strategy = st.one_of(
    st.none(), st.fixed_dictionaries({"lea_type": st.sampled_from(LEA_TYPES)})
)


def expected(facts, directory):
    """Return what the issue says the determination must be, as a dict of parts."""
    lea = facts["lea_type"]

    def fact(name):
        return facts.get(name, False)

    partners = facts.get("partners", {})
    district = lea == "school_district"
    g1a = (
        lea in ("school_district", "charter_school")
        and fact("coe_technical_assistance_provided")
        and fact("coe_superintendent_determined_necessary")
        and fact("geographic_lead_agrees")
    )
    g1b = fact("spi_determined_necessary")
    g2a = district and fact("emergency_apportionment")
    # EC 52072(a) as re-enacted by SB 114: school districts only, never reimbursable.
    ia = district and fact("intensive_assistance_criteria_met")
    g3 = not (g1a or g1b or g2a or ia)
    cost = "shared_cost" if g2a else "state_funded" if (g1a or g1b or ia) else "reimbursable"
    h = district and fact("at_risk_of_state_intervention")
    if lea == "county_office":
        partners_ok = partners.get("geographic_lead", False)
    else:
        partners_ok = partners.get("county_office", False) and partners.get(
            "geographic_lead", False
        )
    months_ok = facts["estimated_months"] <= 9
    threshold = fact("at_risk_of_state_intervention") and months_ok and partners_ok
    tier = 1 if (h and threshold) else 2 if (h or g1a or g1b or g2a or ia) else 3
    claimed_coe = fact("coe_superintendent_determined_necessary")
    codes = {
        "G1A_NOT_APPLICABLE_COE": lea == "county_office" and claimed_coe,
        "G1A_MISSING_TECHNICAL_ASSISTANCE": lea != "county_office"
        and claimed_coe
        and not fact("coe_technical_assistance_provided"),
        "G1A_MISSING_GEOGRAPHIC_LEAD": lea != "county_office"
        and claimed_coe
        and not fact("geographic_lead_agrees"),
        "G2A_NOT_APPLICABLE": not district and fact("emergency_apportionment"),
        "H_NOT_APPLICABLE": not district and fact("at_risk_of_state_intervention"),
        "NEED_EXCEEDS_NINE_MONTHS": not months_ok,
        "PARTNERS_NOT_CONFIRMED": not partners_ok,
        "REIMBURSEMENT_REQUIRED": g3,
        "REIMBURSEMENT_NOT_AGREED": g3 and not fact("agrees_to_reimburse"),
        "IA_52072A_APPLIES": ia,
        "IA_52072A_NOT_APPLICABLE": not district and fact("intensive_assistance_criteria_met"),
        "SYSTEMIC_REVIEW_REQUIRED": g2a,
        "G1A_APPLIES": g1a,
        "G1B_APPLIES": g1b,
        "G2A_APPLIES": g2a,
        "H_PRIORITY": h,
        "THRESHOLD_MET": threshold,
        "DIRECTORY_LEA_TYPE_MISMATCH": directory is not None and directory["lea_type"] != lea,
    }
    # The statute's order: the referrals of (g)(1) and (g)(2), 52072(a), then (g)(3).
    in_order = (("g1A", g1a), ("g1B", g1b), ("g2A", g2a), ("52072a", ia), ("g3", g3))
    pathways = [p for p, on in in_order if on]
    return {
        "pathways": pathways,
        "cost_basis": cost,
        "systemic_review_required": g2a,
        "h_priority": h,
        "meets_ccee_threshold": threshold,
        "priority_tier": tier,
        "codes": {code for code, on in codes.items() if on},
    }


@settings(max_examples=600)
@given(facts_strategy, directory_strategy)
def test_every_combination_agrees_with_the_rules(facts, directory):
    result = evaluate(facts, directory=directory)
    data = result.to_dict()
    want = expected(facts, directory)

    assert data["pathways"] == want["pathways"]
    assert data["cost_basis"] == want["cost_basis"]
    assert data["systemic_review_required"] == want["systemic_review_required"]
    assert data["h_priority"] == want["h_priority"]
    assert data["meets_ccee_threshold"] == want["meets_ccee_threshold"]
    assert data["priority_tier"] == want["priority_tier"]
    present = {f["code"] for f in data["findings"]}
    # Each listed code appears exactly when its condition holds.
    assert present & CONDITIONAL_CODES == want["codes"]


@settings(max_examples=300)
@given(facts_strategy, directory_strategy)
def test_every_determination_is_valid_json_that_reads_back(facts, directory):
    result = evaluate(facts, directory=directory)
    data = json.loads(json.dumps(result.to_dict()))
    assert Determination.from_dict(data) == result
    assert data["rules_version"] == RULES_VERSION
    assert data["pathways"], "at least one pathway always applies"
    codes = [f["code"] for f in data["findings"]]
    assert len(codes) == len(set(codes)), "no finding is made twice"
    for item in data["findings"]:
        assert item["severity"] in ("info", "warning")
        assert item["citation"].startswith(("EC 52074(", "EC 52072(a)", "CCEE RFA criteria"))
        assert item["message"]


@settings(max_examples=200)
@given(facts_strategy)
def test_facts_survive_a_round_trip_and_differ_from_themselves_nowhere(facts):
    parsed = parse_facts(facts)
    assert parse_facts(parsed.to_dict()) == parsed
    assert diff_facts(facts, parsed.to_dict()) == []


@settings(max_examples=200)
@given(
    facts_strategy,
    st.sampled_from(BOOLEAN_FIELDS),
    st.one_of(st.integers(), st.text(), st.none(), st.floats(allow_nan=False)),
)
def test_a_non_boolean_for_a_boolean_fact_is_refused_by_name(facts, name, value):
    try:
        parse_facts({**facts, name: value})
    except FactsError as error:
        assert error.field == name
        assert error.problem == "must be true or false"
    else:
        raise AssertionError(f"{name}={value!r} was accepted")
