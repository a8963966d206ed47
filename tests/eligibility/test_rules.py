"""Each rule of EC 52074 (g)/(h) and CCEE's minimum threshold, one behaviour per test."""

import json

import pytest

from eligibility.rules import (
    CHARTER_SCHOOL,
    COUNTY_OFFICE,
    FACT_FIELDS,
    FACT_LABELS,
    LEA_TYPES,
    RULES_VERSION,
    SCHOOL_DISTRICT,
    Determination,
    Facts,
    FactsError,
    Finding,
    Partners,
    diff_facts,
    evaluate,
    parse_facts,
)

G1A_CLAIM = {
    "coe_technical_assistance_provided": True,
    "coe_superintendent_determined_necessary": True,
    "geographic_lead_agrees": True,
}
BOTH_PARTNERS = {"county_office": True, "geographic_lead": True}


def facts(lea_type=SCHOOL_DISTRICT, estimated_months=6, **overrides):
    return {"lea_type": lea_type, "estimated_months": estimated_months, **overrides}


def codes(determination):
    return set(determination.codes)


def finding(determination, code):
    (match,) = [f for f in determination.findings if f.code == code]
    return match


# --- (g)(1)(A): referral by the county superintendent ---------------------------------------


@pytest.mark.parametrize(
    ("lea_type", "applies"),
    [(SCHOOL_DISTRICT, True), (CHARTER_SCHOOL, True), (COUNTY_OFFICE, False)],
)
def test_g1a_applies_to_districts_and_charters_only(lea_type, applies):
    result = evaluate(facts(lea_type, **G1A_CLAIM))
    assert ("g1A" in result.pathways) is applies
    assert ("G1A_APPLIES" in codes(result)) is applies
    assert ("G1A_NOT_APPLICABLE_COE" in codes(result)) is (not applies)


@pytest.mark.parametrize("lea_type", [SCHOOL_DISTRICT, CHARTER_SCHOOL])
@pytest.mark.parametrize("missing", sorted(G1A_CLAIM))
def test_g1a_needs_all_three_parts(lea_type, missing):
    result = evaluate(facts(lea_type, **{**G1A_CLAIM, missing: False}))
    assert "g1A" not in result.pathways
    assert "G1A_APPLIES" not in codes(result)


@pytest.mark.parametrize("lea_type", [SCHOOL_DISTRICT, CHARTER_SCHOOL])
def test_missing_technical_assistance_is_reported_when_determination_claimed(lea_type):
    result = evaluate(facts(lea_type, **{**G1A_CLAIM, "coe_technical_assistance_provided": False}))
    assert "G1A_MISSING_TECHNICAL_ASSISTANCE" in codes(result)
    assert "G1A_MISSING_GEOGRAPHIC_LEAD" not in codes(result)
    found = finding(result, "G1A_MISSING_TECHNICAL_ASSISTANCE")
    assert (found.severity, found.citation) == ("warning", "EC 52074(g)(1)(A)")


@pytest.mark.parametrize("lea_type", [SCHOOL_DISTRICT, CHARTER_SCHOOL])
def test_missing_geographic_lead_is_reported_when_determination_claimed(lea_type):
    result = evaluate(facts(lea_type, **{**G1A_CLAIM, "geographic_lead_agrees": False}))
    assert "G1A_MISSING_GEOGRAPHIC_LEAD" in codes(result)
    assert "G1A_MISSING_TECHNICAL_ASSISTANCE" not in codes(result)
    found = finding(result, "G1A_MISSING_GEOGRAPHIC_LEAD")
    assert (found.severity, found.citation) == ("warning", "EC 52074(g)(1)(A)")


def test_both_missing_parts_are_reported_together():
    result = evaluate(facts(coe_superintendent_determined_necessary=True))
    assert {"G1A_MISSING_TECHNICAL_ASSISTANCE", "G1A_MISSING_GEOGRAPHIC_LEAD"} <= codes(result)


@pytest.mark.parametrize("lea_type", LEA_TYPES)
def test_missing_part_findings_need_a_claimed_determination(lea_type):
    result = evaluate(
        facts(lea_type, coe_technical_assistance_provided=False, geographic_lead_agrees=False)
    )
    assert not codes(result) & {
        "G1A_MISSING_TECHNICAL_ASSISTANCE",
        "G1A_MISSING_GEOGRAPHIC_LEAD",
        "G1A_NOT_APPLICABLE_COE",
    }


def test_county_office_claiming_a_determination_gets_not_applicable_not_missing_parts():
    result = evaluate(facts(COUNTY_OFFICE, coe_superintendent_determined_necessary=True))
    assert "G1A_NOT_APPLICABLE_COE" in codes(result)
    assert not codes(result) & {"G1A_MISSING_TECHNICAL_ASSISTANCE", "G1A_MISSING_GEOGRAPHIC_LEAD"}
    found = finding(result, "G1A_NOT_APPLICABLE_COE")
    assert (found.severity, found.citation) == ("warning", "EC 52074(g)(1)(A)")


@pytest.mark.parametrize("lea_type", [SCHOOL_DISTRICT, CHARTER_SCHOOL])
def test_partial_county_referral_without_determination_is_explained(lea_type):
    result = evaluate(facts(lea_type, coe_technical_assistance_provided=True))
    assert "G1A_MISSING_COE_DETERMINATION" in codes(result)
    assert evaluate(facts(lea_type)).codes.count("G1A_MISSING_COE_DETERMINATION") == 0


def test_g1a_is_state_funded():
    result = evaluate(facts(**G1A_CLAIM))
    assert result.cost_basis == "state_funded"
    assert finding(result, "G1A_APPLIES").citation == "EC 52074(g)(1)(A)"


# --- (g)(1)(B): referral by the State Superintendent ----------------------------------------


@pytest.mark.parametrize("lea_type", LEA_TYPES)
def test_g1b_applies_to_every_lea_type(lea_type):
    result = evaluate(facts(lea_type, spi_determined_necessary=True))
    assert result.pathways == ("g1B",)
    assert result.cost_basis == "state_funded"
    found = finding(result, "G1B_APPLIES")
    assert (found.severity, found.citation) == ("info", "EC 52074(g)(1)(B)")


def test_g1a_and_g1b_can_both_apply():
    result = evaluate(facts(spi_determined_necessary=True, **G1A_CLAIM))
    assert result.pathways == ("g1A", "g1B")
    assert result.cost_basis == "state_funded"


# --- (g)(2): emergency apportionment --------------------------------------------------------


def test_g2a_deems_a_district_referred_and_requires_systemic_review():
    result = evaluate(facts(emergency_apportionment=True))
    assert result.pathways == ("g2A",)
    assert result.systemic_review_required is True
    assert result.cost_basis == "shared_cost"
    assert finding(result, "G2A_APPLIES").citation == "EC 52074(g)(2)(A)"
    review = finding(result, "SYSTEMIC_REVIEW_REQUIRED")
    assert (review.severity, review.citation) == ("info", "EC 52074(g)(2)(B)")
    assert finding(result, "COST_SHARED").citation == "EC 52074(g)(2)(B)"


@pytest.mark.parametrize("lea_type", [CHARTER_SCHOOL, COUNTY_OFFICE])
def test_g2a_does_not_apply_to_charters_or_county_offices(lea_type):
    result = evaluate(facts(lea_type, emergency_apportionment=True))
    assert "g2A" not in result.pathways
    assert result.systemic_review_required is False
    assert not codes(result) & {"G2A_APPLIES", "SYSTEMIC_REVIEW_REQUIRED", "COST_SHARED"}
    found = finding(result, "G2A_NOT_APPLICABLE")
    assert (found.severity, found.citation) == ("warning", "EC 52074(g)(2)(A)")
    assert {CHARTER_SCHOOL: "charter school", COUNTY_OFFICE: "county office"}[lea_type] in (
        found.message
    )


def test_no_emergency_apportionment_means_no_g2a_findings():
    result = evaluate(facts())
    assert not codes(result) & {"G2A_APPLIES", "G2A_NOT_APPLICABLE", "SYSTEMIC_REVIEW_REQUIRED"}


@pytest.mark.parametrize(
    "extra",
    [
        G1A_CLAIM,
        {"spi_determined_necessary": True},
        {**G1A_CLAIM, "spi_determined_necessary": True},
    ],
)
def test_shared_cost_wins_over_state_funded_when_g2a_applies(extra):
    result = evaluate(facts(emergency_apportionment=True, **extra))
    assert "g2A" in result.pathways
    assert result.cost_basis == "shared_cost"


# --- (g)(3): reimbursement ------------------------------------------------------------------


@pytest.mark.parametrize("lea_type", LEA_TYPES)
def test_g3_applies_when_no_referral_does_and_the_lea_reimburses(lea_type):
    result = evaluate(facts(lea_type))
    assert result.pathways == ("g3",)
    assert result.cost_basis == "reimbursable"
    found = finding(result, "REIMBURSEMENT_REQUIRED")
    assert found.citation == "EC 52074(g)(3)"


@pytest.mark.parametrize(
    "extra", [G1A_CLAIM, {"spi_determined_necessary": True}, {"emergency_apportionment": True}]
)
def test_g3_never_applies_alongside_a_referral(extra):
    result = evaluate(facts(**extra))
    assert "g3" not in result.pathways
    assert "REIMBURSEMENT_REQUIRED" not in codes(result)


@pytest.mark.parametrize("lea_type", LEA_TYPES)
def test_g3_without_the_reimbursement_agreement_is_flagged(lea_type):
    result = evaluate(facts(lea_type))
    found = finding(result, "REIMBURSEMENT_NOT_AGREED")
    assert (found.severity, found.citation) == ("warning", "EC 52074(g)(3)")
    assert "has not agreed to reimburse" in found.message


@pytest.mark.parametrize("lea_type", LEA_TYPES)
def test_g3_with_the_reimbursement_agreement_is_not_flagged(lea_type):
    result = evaluate(facts(lea_type, agrees_to_reimburse=True))
    assert result.pathways == ("g3",)
    assert "REIMBURSEMENT_NOT_AGREED" not in codes(result)
    assert "REIMBURSEMENT_REQUIRED" in codes(result)


@pytest.mark.parametrize(
    "extra",
    [
        G1A_CLAIM,
        {"spi_determined_necessary": True},
        {"emergency_apportionment": True},
        {"intensive_assistance_criteria_met": True},
    ],
)
@pytest.mark.parametrize("agrees", [False, True])
def test_the_reimbursement_agreement_changes_nothing_when_another_pathway_applies(extra, agrees):
    with_it = evaluate(facts(**extra, agrees_to_reimburse=agrees))
    without_it = evaluate(facts(**extra))
    assert with_it == without_it
    assert "REIMBURSEMENT_NOT_AGREED" not in codes(with_it)


# --- EC 52072(a): CCEE's intensive assistance (SB 114) ---------------------------------------


def test_52072a_applies_to_a_district_meeting_its_criteria_and_is_state_funded():
    result = evaluate(facts(intensive_assistance_criteria_met=True))
    assert result.pathways == ("52072a",)
    assert result.cost_basis == "state_funded"
    assert result.priority_tier == 2
    found = finding(result, "IA_52072A_APPLIES")
    assert (found.severity, found.citation) == ("info", "EC 52072(a)")
    assert "CCEE must determine" in found.message
    assert "in consultation with the district and its provider of technical assistance" in (
        found.message
    )
    assert not codes(result) & {"REIMBURSEMENT_REQUIRED", "REIMBURSEMENT_NOT_AGREED"}


@pytest.mark.parametrize("lea_type", [CHARTER_SCHOOL, COUNTY_OFFICE])
def test_52072a_does_not_apply_to_charters_or_county_offices(lea_type):
    result = evaluate(facts(lea_type, intensive_assistance_criteria_met=True))
    assert "52072a" not in result.pathways
    assert result.pathways == ("g3",)
    assert "IA_52072A_APPLIES" not in codes(result)
    found = finding(result, "IA_52072A_NOT_APPLICABLE")
    assert (found.severity, found.citation) == ("warning", "EC 52072(a)")
    assert "speaks of school districts" in found.message
    assert {CHARTER_SCHOOL: "EC 47607.3", COUNTY_OFFICE: "EC 52071.5"}[lea_type] in found.message


@pytest.mark.parametrize("lea_type", LEA_TYPES)
def test_no_52072a_findings_without_the_fact(lea_type):
    result = evaluate(facts(lea_type))
    assert not codes(result) & {"IA_52072A_APPLIES", "IA_52072A_NOT_APPLICABLE"}
    assert "52072a" not in result.pathways


def test_52072a_with_an_emergency_apportionment_shares_the_cost():
    result = evaluate(facts(intensive_assistance_criteria_met=True, emergency_apportionment=True))
    assert result.pathways == ("g2A", "52072a")
    assert result.cost_basis == "shared_cost"
    assert result.systemic_review_required is True


@pytest.mark.parametrize(
    ("extra", "pathways"),
    [
        (G1A_CLAIM, ("g1A", "52072a")),
        ({"spi_determined_necessary": True}, ("g1B", "52072a")),
        ({**G1A_CLAIM, "spi_determined_necessary": True}, ("g1A", "g1B", "52072a")),
    ],
)
def test_52072a_alongside_a_referral_stays_state_funded(extra, pathways):
    result = evaluate(facts(intensive_assistance_criteria_met=True, **extra))
    assert result.pathways == pathways
    assert result.cost_basis == "state_funded"


def test_52072a_with_h_priority_and_the_threshold_ranks_first():
    result = evaluate({**at_risk_request(), "intensive_assistance_criteria_met": True})
    assert "52072a" in result.pathways
    assert result.priority_tier == 1


def test_the_systemic_review_applies_if_ccee_provides_assistance():
    result = evaluate(facts(emergency_apportionment=True))
    assert "if CCEE provides assistance" in finding(result, "SYSTEMIC_REVIEW_REQUIRED").message


def test_the_h_finding_and_label_keep_52072b_and_name_52072_1():
    found = finding(evaluate(facts(at_risk_of_state_intervention=True)), "H_PRIORITY")
    for text in (found.message, FACT_LABELS["at_risk_of_state_intervention"]):
        assert "EC 52072(b)" in text
        assert "EC 52072.1" in text
    assert found.citation == "EC 52074(h)"


# --- (h): priority for districts at risk of state intervention -------------------------------


def test_district_at_risk_has_h_priority():
    result = evaluate(facts(at_risk_of_state_intervention=True))
    assert result.h_priority is True
    found = finding(result, "H_PRIORITY")
    assert (found.severity, found.citation) == ("info", "EC 52074(h)")


@pytest.mark.parametrize("lea_type", [CHARTER_SCHOOL, COUNTY_OFFICE])
def test_h_priority_is_for_school_districts_only(lea_type):
    result = evaluate(facts(lea_type, at_risk_of_state_intervention=True))
    assert result.h_priority is False
    assert "H_PRIORITY" not in codes(result)
    found = finding(result, "H_NOT_APPLICABLE")
    assert (found.severity, found.citation) == ("warning", "EC 52074(h)")


@pytest.mark.parametrize("lea_type", LEA_TYPES)
def test_not_at_risk_gives_no_h_findings(lea_type):
    result = evaluate(facts(lea_type))
    assert result.h_priority is False
    assert not codes(result) & {"H_PRIORITY", "H_NOT_APPLICABLE"}


def test_priority_does_not_change_the_cost_basis():
    without = evaluate(facts())
    with_priority = evaluate(facts(at_risk_of_state_intervention=True))
    assert with_priority.h_priority
    assert without.cost_basis == with_priority.cost_basis == "reimbursable"
    assert with_priority.pathways == ("g3",)


# --- CCEE's minimum threshold ---------------------------------------------------------------


def at_risk_request(lea_type=SCHOOL_DISTRICT, months=9, partners=BOTH_PARTNERS):
    return facts(lea_type, months, at_risk_of_state_intervention=True, partners=partners)


@pytest.mark.parametrize(("months", "meets"), [(1, True), (9, True), (10, False), (120, False)])
def test_threshold_months_boundary_is_nine(months, meets):
    result = evaluate(at_risk_request(months=months))
    assert result.meets_ccee_threshold is meets
    assert ("NEED_EXCEEDS_NINE_MONTHS" in codes(result)) is (not meets)
    assert ("THRESHOLD_MET" in codes(result)) is meets


def test_need_exceeding_nine_months_is_reported_even_when_not_at_risk():
    result = evaluate(facts(estimated_months=10))
    found = finding(result, "NEED_EXCEEDS_NINE_MONTHS")
    assert (found.severity, found.citation) == ("warning", "CCEE RFA criteria (minimum threshold)")
    assert "10 months" in found.message
    assert "NEED_EXCEEDS_NINE_MONTHS" not in codes(evaluate(facts(estimated_months=9)))


@pytest.mark.parametrize("lea_type", LEA_TYPES)
def test_threshold_needs_risk_of_state_intervention(lea_type):
    result = evaluate(facts(lea_type, 3, partners=BOTH_PARTNERS))
    assert result.meets_ccee_threshold is False
    assert finding(result, "THRESHOLD_NOT_AT_RISK").severity == "warning"


@pytest.mark.parametrize("lea_type", [SCHOOL_DISTRICT, CHARTER_SCHOOL])
@pytest.mark.parametrize(
    ("partners", "missing_words"),
    [
        ({"county_office": False, "geographic_lead": True}, ["county office of education"]),
        ({"county_office": True, "geographic_lead": False}, ["geographic lead agency"]),
        ({}, ["county office of education", "geographic lead agency"]),
    ],
)
def test_threshold_needs_county_office_and_geographic_lead(lea_type, partners, missing_words):
    result = evaluate(at_risk_request(lea_type, partners=partners))
    assert result.meets_ccee_threshold is False
    found = finding(result, "PARTNERS_NOT_CONFIRMED")
    assert found.citation == "CCEE RFA criteria (minimum threshold)"
    for words in missing_words:
        assert words in found.message


@pytest.mark.parametrize("lea_type", [SCHOOL_DISTRICT, CHARTER_SCHOOL])
def test_district_or_charter_with_both_partners_meets_threshold(lea_type):
    result = evaluate(at_risk_request(lea_type))
    assert result.meets_ccee_threshold is True
    assert "PARTNERS_NOT_CONFIRMED" not in codes(result)
    assert finding(result, "THRESHOLD_MET").citation == "CCEE RFA criteria (minimum threshold)"


def test_county_office_needs_only_the_geographic_lead():
    result = evaluate(at_risk_request(COUNTY_OFFICE, partners={"geographic_lead": True}))
    assert result.meets_ccee_threshold is True
    assert "PARTNERS_NOT_CONFIRMED" not in codes(result)


def test_county_office_without_the_geographic_lead_misses_threshold():
    result = evaluate(at_risk_request(COUNTY_OFFICE, partners={"county_office": True}))
    assert result.meets_ccee_threshold is False
    found = finding(result, "PARTNERS_NOT_CONFIRMED")
    assert "geographic lead agency" in found.message
    assert "county office" not in found.message


def test_other_partners_do_not_stand_in_for_required_ones():
    result = evaluate(at_risk_request(partners={"other": ["FCMAT", "SELPA"]}))
    assert result.meets_ccee_threshold is False
    assert "PARTNERS_NOT_CONFIRMED" in codes(result)


# --- priority tier --------------------------------------------------------------------------


def test_tier_1_needs_h_priority_and_threshold():
    assert evaluate(at_risk_request()).priority_tier == 1


def test_tier_2_for_h_priority_without_threshold():
    result = evaluate(at_risk_request(months=10))
    assert (result.h_priority, result.meets_ccee_threshold, result.priority_tier) == (
        True,
        False,
        2,
    )


@pytest.mark.parametrize(
    "extra", [G1A_CLAIM, {"spi_determined_necessary": True}, {"emergency_apportionment": True}]
)
def test_tier_2_for_a_referral_without_h_priority(extra):
    result = evaluate(facts(**extra))
    assert (result.h_priority, result.priority_tier) == (False, 2)


@pytest.mark.parametrize("lea_type", [CHARTER_SCHOOL, COUNTY_OFFICE])
def test_threshold_alone_without_h_priority_or_referral_is_tier_3(lea_type):
    partners = BOTH_PARTNERS if lea_type == CHARTER_SCHOOL else {"geographic_lead": True}
    result = evaluate(at_risk_request(lea_type, partners=partners))
    assert result.meets_ccee_threshold is True
    assert result.h_priority is False
    assert result.priority_tier == 3


def test_threshold_with_a_referral_but_no_h_priority_is_tier_2():
    result = evaluate({**at_risk_request(CHARTER_SCHOOL), "spi_determined_necessary": True})
    assert (result.meets_ccee_threshold, result.h_priority, result.priority_tier) == (
        True,
        False,
        2,
    )


@pytest.mark.parametrize("lea_type", LEA_TYPES)
def test_tier_3_when_nothing_applies(lea_type):
    assert evaluate(facts(lea_type)).priority_tier == 3


# --- the LEA directory ----------------------------------------------------------------------


def test_directory_contradicting_lea_type_is_a_warning_naming_both():
    result = evaluate(facts(**G1A_CLAIM), directory={"lea_type": COUNTY_OFFICE})
    found = finding(result, "DIRECTORY_LEA_TYPE_MISMATCH")
    assert found.severity == "warning"
    assert "school district" in found.message
    assert "county office of education" in found.message
    assert found.citation


def test_rules_run_on_attested_facts_when_directory_disagrees():
    attested = facts(**G1A_CLAIM)
    with_directory = evaluate(attested, directory={"lea_type": COUNTY_OFFICE})
    assert with_directory.pathways == evaluate(attested).pathways == ("g1A",)


@pytest.mark.parametrize(
    "directory", [None, {}, {"lea_type": None}, {"lea_type": SCHOOL_DISTRICT, "county": "Kern"}]
)
def test_no_mismatch_without_a_contradiction(directory):
    assert "DIRECTORY_LEA_TYPE_MISMATCH" not in codes(evaluate(facts(), directory=directory))


def test_directory_with_an_unknown_type_still_names_it():
    result = evaluate(facts(), directory={"lea_type": "joint_powers_agency"})
    assert "joint_powers_agency" in finding(result, "DIRECTORY_LEA_TYPE_MISMATCH").message


def test_directory_must_be_a_mapping():
    with pytest.raises(FactsError) as caught:
        evaluate(facts(), directory=["county_office"])
    assert caught.value.field == "directory"


# --- every finding is explained and cited ---------------------------------------------------


EXPLAINING_CODE = {
    "g1A": "G1A_APPLIES",
    "g1B": "G1B_APPLIES",
    "g2A": "G2A_APPLIES",
    "52072a": "IA_52072A_APPLIES",
    "g3": "REIMBURSEMENT_REQUIRED",
}
CITATION_OF_PATHWAY = {
    "g1A": "EC 52074(g)(1)(A)",
    "g1B": "EC 52074(g)(1)(B)",
    "g2A": "EC 52074(g)(2)(A)",
    "52072a": "EC 52072(a)",
    "g3": "EC 52074(g)(3)",
}


@pytest.mark.parametrize(
    "extra",
    [
        {},
        G1A_CLAIM,
        {"spi_determined_necessary": True},
        {"emergency_apportionment": True, "at_risk_of_state_intervention": True},
        {"intensive_assistance_criteria_met": True, "emergency_apportionment": True},
    ],
)
def test_every_pathway_is_explained_by_a_finding_with_its_citation(extra):
    result = evaluate(facts(**extra))
    for pathway in result.pathways:
        found = finding(result, EXPLAINING_CODE[pathway])
        assert found.citation == CITATION_OF_PATHWAY[pathway]
    for found in result.findings:
        assert found.citation.startswith(("EC 52074(", "EC 52072(a)", "CCEE RFA criteria"))
        assert found.message.endswith(".")
        assert found.severity in ("info", "warning")


# --- the Determination object ---------------------------------------------------------------


def test_to_dict_has_exactly_the_documented_shape():
    data = evaluate(at_risk_request()).to_dict()
    assert list(data) == [
        "pathways",
        "cost_basis",
        "systemic_review_required",
        "h_priority",
        "meets_ccee_threshold",
        "priority_tier",
        "findings",
        "rules_version",
    ]
    assert isinstance(data["pathways"], list)
    assert data["rules_version"] == RULES_VERSION
    for item in data["findings"]:
        assert list(item) == ["code", "severity", "citation", "message"]
    assert json.loads(json.dumps(data)) == data


def test_from_dict_reads_back_what_to_dict_wrote():
    result = evaluate(facts(emergency_apportionment=True, **G1A_CLAIM))
    assert Determination.from_dict(result.to_dict()) == result


def test_from_dict_keeps_an_old_rules_version():
    data = {**evaluate(facts()).to_dict(), "rules_version": "2024-01-01.1"}
    restored = Determination.from_dict(data)
    assert restored.rules_version == "2024-01-01.1"
    assert restored.is_current is False


@pytest.mark.parametrize(
    "change",
    [
        {"pathways": ["g9"]},
        {"cost_basis": "free"},
        {"h_priority": "yes"},
        {"priority_tier": 4},
        {"priority_tier": True},
        {"findings": [{"code": "X", "severity": "fatal", "citation": "c", "message": "m"}]},
        {"findings": [{"code": "X"}]},
        {"findings": "none"},
        {"rules_version": ""},
    ],
)
def test_from_dict_refuses_a_wrong_shape(change):
    with pytest.raises(ValueError):
        Determination.from_dict({**evaluate(facts()).to_dict(), **change})


def test_from_dict_refuses_missing_keys():
    data = evaluate(facts()).to_dict()
    del data["cost_basis"]
    with pytest.raises(ValueError, match="cost_basis"):
        Determination.from_dict(data)


def test_warnings_and_infos_split_the_findings():
    result = evaluate(facts(emergency_apportionment=True, estimated_months=12))
    assert set(result.warnings) | set(result.infos) == set(result.findings)
    assert all(f.severity == "warning" for f in result.warnings)
    assert isinstance(result.findings[0], Finding)


def test_evaluate_accepts_facts_or_dict_alike():
    data = at_risk_request()
    assert evaluate(parse_facts(data)) == evaluate(data)


# --- validating facts -----------------------------------------------------------------------


def test_missing_booleans_and_partners_default_to_false():
    parsed = parse_facts({"lea_type": CHARTER_SCHOOL, "estimated_months": 4})
    assert parsed == Facts(lea_type=CHARTER_SCHOOL, estimated_months=4, partners=Partners())
    assert not any(parsed.to_dict()[name] for name in FACT_FIELDS[1:7])


def test_facts_to_dict_round_trips():
    data = {**at_risk_request(), "partners": {**BOTH_PARTNERS, "other": ["FCMAT"]}}
    parsed = parse_facts(data)
    assert parse_facts(parsed.to_dict()) == parsed


def test_blank_other_partners_are_dropped():
    parsed = parse_facts(facts(partners={"other": ["  FCMAT ", "", "   "]}))
    assert parsed.partners.other == ("FCMAT",)


def test_facts_error_carries_field_and_problem():
    with pytest.raises(FactsError) as caught:
        parse_facts(facts(estimated_months=0))
    error = caught.value
    assert (error.field, error.problem) == (
        "estimated_months",
        "must be a whole number from 1 to 120",
    )
    assert str(error) == "estimated_months: must be a whole number from 1 to 120"
    assert isinstance(error, ValueError)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"estimated_months": 3}, "lea_type"),
        (facts(lea_type="district"), "lea_type"),
        (facts(lea_type=None), "lea_type"),
        (facts(lea_type=["school_district"]), "lea_type"),
        ({"lea_type": SCHOOL_DISTRICT}, "estimated_months"),
        (facts(estimated_months=0), "estimated_months"),
        (facts(estimated_months=121), "estimated_months"),
        (facts(estimated_months=9.5), "estimated_months"),
        (facts(estimated_months=9.0), "estimated_months"),
        (facts(estimated_months="9"), "estimated_months"),
        (facts(estimated_months=True), "estimated_months"),
        (facts(estimated_months=None), "estimated_months"),
        (facts(spi_determined_necessary=1), "spi_determined_necessary"),
        (facts(emergency_apportionment="true"), "emergency_apportionment"),
        (facts(at_risk_of_state_intervention=None), "at_risk_of_state_intervention"),
        (facts(geographic_lead_agrees=0), "geographic_lead_agrees"),
        (facts(partners=[]), "partners"),
        (facts(partners=None), "partners"),
        (facts(partners={"county_office": "yes"}), "partners.county_office"),
        (facts(partners={"geographic_lead": 1}), "partners.geographic_lead"),
        (facts(partners={"other": "FCMAT"}), "partners.other"),
        (facts(partners={"other": ["FCMAT", 7]}), "partners.other[1]"),
        (facts(partners={"selpa": True}), "partners.selpa"),
        (facts(at_risk=True), "at_risk"),
    ],
)
def test_invalid_facts_name_the_field(data, field):
    with pytest.raises(FactsError) as caught:
        parse_facts(data)
    assert caught.value.field == field
    assert str(caught.value).startswith(f"{field}: ")
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("data", [None, [], "school_district", 3])
def test_facts_must_be_an_object(data):
    with pytest.raises(FactsError) as caught:
        parse_facts(data)
    assert caught.value.field == "facts"


@pytest.mark.parametrize("months", [1, 120])
def test_months_range_is_inclusive(months):
    assert parse_facts(facts(estimated_months=months)).estimated_months == months


def test_missing_required_field_says_it_is_required():
    with pytest.raises(FactsError, match=r"^lea_type: is required$"):
        parse_facts({"estimated_months": 3})
    with pytest.raises(FactsError, match=r"^estimated_months: is required"):
        parse_facts({"lea_type": COUNTY_OFFICE})


def test_evaluate_parses_a_dict_and_raises_facts_error():
    with pytest.raises(FactsError):
        evaluate({"lea_type": "school"})


# --- differences between attested and verified facts ----------------------------------------


def test_no_difference_when_only_defaults_differ_in_spelling():
    attested = facts()
    verified = {**facts(), "spi_determined_necessary": False, "partners": {"other": []}}
    assert diff_facts(attested, verified) == []


def test_differences_are_listed_in_field_order_with_both_values():
    attested = facts(**G1A_CLAIM, partners={"county_office": True})
    verified = {
        **facts(CHARTER_SCHOOL, 12),
        "coe_technical_assistance_provided": True,
        "coe_superintendent_determined_necessary": True,
        "partners": {"county_office": False, "geographic_lead": True, "other": ["FCMAT"]},
    }
    assert diff_facts(attested, verified) == [
        ("lea_type", SCHOOL_DISTRICT, CHARTER_SCHOOL),
        ("geographic_lead_agrees", True, False),
        ("estimated_months", 6, 12),
        ("partners.county_office", True, False),
        ("partners.geographic_lead", False, True),
        ("partners.other", [], ["FCMAT"]),
    ]


def test_other_partners_differ_only_by_content_not_order_or_case():
    attested = facts(partners={"other": ["FCMAT", "SELPA"]})
    assert diff_facts(attested, facts(partners={"other": ["selpa", "FCMAT"]})) == []
    assert diff_facts(attested, facts(partners={"other": ["FCMAT"]})) == [
        ("partners.other", ["FCMAT", "SELPA"], ["FCMAT"])
    ]


def test_diff_facts_accepts_parsed_facts():
    assert diff_facts(parse_facts(facts()), facts(estimated_months=7)) == [
        ("estimated_months", 6, 7)
    ]


def test_every_reported_field_has_a_plain_language_label():
    assert set(FACT_FIELDS) <= set(FACT_LABELS)
    assert all(label and label[0].isupper() for label in FACT_LABELS.values())


def test_recomputing_from_verified_facts_keeps_both_determinations():
    attested = facts(**G1A_CLAIM)
    verified = {**attested, "geographic_lead_agrees": False}
    before, after = evaluate(attested), evaluate(verified)
    assert before.pathways == ("g1A",)
    assert after.pathways == ("g3",)
    assert before.rules_version == after.rules_version == RULES_VERSION
