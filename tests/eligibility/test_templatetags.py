"""The plain-language and reviewer views of a determination, as the intake and admin show them."""

import html as html_module
import re

import pytest
from django.template import Context, Template

from eligibility.rules import RULES_VERSION, evaluate

TAGS = "{% load eligibility_tags %}"

DISTRICT_G1A_AT_RISK = {
    "lea_type": "school_district",
    "coe_technical_assistance_provided": True,
    "coe_superintendent_determined_necessary": True,
    "geographic_lead_agrees": True,
    "at_risk_of_state_intervention": True,
    "estimated_months": 6,
    "partners": {"county_office": True, "geographic_lead": True},
}
CHARTER_NOTHING = {
    "lea_type": "charter_school",
    "estimated_months": 12,
    "emergency_apportionment": True,
}


def render(source, **context):
    return Template(TAGS + source).render(Context(context))


def text_of(html):
    """Return what a person reads: tags dropped, entities decoded, whitespace collapsed."""
    return re.sub(r"\s+", " ", html_module.unescape(re.sub(r"<[^>]+>", " ", html))).strip()


@pytest.mark.parametrize("tag", ["determination_for_lea", "determination_for_reviewer"])
def test_no_determination_yet_is_said_in_a_sentence(tag):
    html = render(f"{{% {tag} determination %}}", determination=None)
    assert "No eligibility determination exists yet" in html
    assert "<table" not in html


@pytest.mark.parametrize("tag", ["determination_for_lea", "determination_for_reviewer"])
def test_stored_dict_and_determination_render_the_same(tag):
    determination = evaluate(DISTRICT_G1A_AT_RISK)
    from_object = render(f"{{% {tag} d %}}", d=determination)
    from_dict = render(f"{{% {tag} d %}}", d=determination.to_dict())
    assert from_object == from_dict


def test_lea_view_explains_pathway_cost_priority_and_evidence():
    html = render("{% determination_for_lea d %}", d=evaluate(DISTRICT_G1A_AT_RISK))
    text = text_of(html)
    assert "Referred by the county superintendent of schools (EC 52074(g)(1)(A))" in text
    assert "funded by the state" in text
    assert "highest priority group" in text
    assert "Priority affects when CCEE can help, not who pays." in text
    assert "The county superintendent's determination that CCEE's help is necessary." in text
    assert "The geographic lead agency's agreement (EC 52073)." in text
    assert "at risk of qualifying for state intervention (EC 52072(b))" in text
    assert "Warning:" not in text
    assert RULES_VERSION in text


def test_lea_view_marks_warnings_in_words_not_only_colour():
    determination = evaluate(CHARTER_NOTHING)
    text = text_of(html_of(determination))
    assert determination.warnings
    for warning in determination.warnings:
        assert f"Warning: {warning.message}" in text
    assert "Your agency reimburses CCEE" in text
    assert "general group" in text
    assert "does not yet meet CCEE's minimum threshold" in text


def html_of(determination):
    return render("{% determination_for_lea d %}", d=determination)


def test_lea_view_asks_for_the_emergency_apportionment_when_g2a_applies():
    determination = evaluate(
        {"lea_type": "school_district", "estimated_months": 3, "emergency_apportionment": True}
    )
    text = text_of(html_of(determination))
    assert "The cost is shared among the agencies" in text
    assert "emergency apportionment your district received" in text
    assert "systemic review" in text


def test_reviewer_view_is_an_accessible_table_of_every_finding():
    determination = evaluate(CHARTER_NOTHING)
    html = render("{% determination_for_reviewer d %}", d=determination)
    assert "<caption>" in html
    assert html.count('<th scope="col">') == 4
    assert html.count('<th scope="row">') == len(determination.findings)
    for finding in determination.findings:
        assert f"<code>{finding.code}</code>" in html
        assert finding.citation in html
    assert html.count(">Warning</span>") == len(determination.warnings)
    text = text_of(html)
    assert "Cost basis Reimbursed to CCEE by the LEA ( reimbursable )" in text
    assert "Priority tier 3" in text
    assert f"Rules version {RULES_VERSION}" in text


def test_reviewer_view_notes_a_determination_made_under_older_rules():
    stored = {**evaluate(CHARTER_NOTHING).to_dict(), "rules_version": "2024-01-01.1"}
    text = text_of(render("{% determination_for_reviewer d %}", d=stored))
    assert "Computed under rules version 2024-01-01.1;" in text
    assert f"the rules in force are version {RULES_VERSION}." in text


def test_fact_differences_lists_each_changed_fact_with_its_label():
    verified = {
        **DISTRICT_G1A_AT_RISK,
        "geographic_lead_agrees": False,
        "lea_type": "charter_school",
    }
    html = render("{% fact_differences a v %}", a=DISTRICT_G1A_AT_RISK, v=verified)
    text = text_of(html)
    assert "<caption>" in html
    assert "Type of local educational agency School district Charter school" in text
    assert "The geographic lead agency (EC 52073) agrees Yes No" in text
    assert html.count('<th scope="row">') == 2


def test_fact_differences_without_verified_facts_or_differences():
    assert "No verified facts have been recorded" in render(
        "{% fact_differences a v %}", a=DISTRICT_G1A_AT_RISK, v=None
    )
    assert "match what the LEA attested" in render(
        "{% fact_differences a v %}", a=DISTRICT_G1A_AT_RISK, v=dict(DISTRICT_G1A_AT_RISK)
    )
