"""eligibility owns the law's vocabulary: the statute text, the fact labels, the limits.

The intake form, the request model, the reviewers' admin and the contracts read them from there,
so a wording or a limit changed in eligibility changes everywhere at once.
"""

import ast
from pathlib import Path

import pytest
from django.core.validators import MaxValueValidator, MinValueValidator

from contracts.models import MAX_TERM_MONTHS, ScopeOfWork
from eligibility import rules
from eligibility.statute import STATUTE
from requests_intake import drafts
from requests_intake.admin_forms import VerifiedFactsForm
from requests_intake.forms import EligibilityForm, ThresholdForm
from requests_intake.models import AssistanceRequest

ELIGIBILITY = Path(rules.__file__).parent
PROJECT_PACKAGES = {
    path.parent.name
    for path in ELIGIBILITY.parent.glob("*/__init__.py")
    if path.parent.name != ELIGIBILITY.name
}


def _imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize(
    "path", sorted(ELIGIBILITY.rglob("*.py")), ids=lambda p: str(p.relative_to(ELIGIBILITY))
)
def test_eligibility_imports_no_other_project_package(path):
    assert not _imported_roots(path) & PROJECT_PACKAGES


@pytest.mark.parametrize("module", ["rules.py", "statute.py"])
def test_the_rules_and_the_statute_are_plain_python(module):
    assert "django" not in _imported_roots(ELIGIBILITY / module)


def test_the_statute_is_quoted_for_every_pathway_of_ec_52074_and_for_priority():
    # 52072(a) is EC 52072, re-enacted by SB 114; seed 002 quotes only EC 52074, so the form
    # describes 52072(a) in its own words rather than quoting an unverified text.
    assert set(STATUTE) == {*rules.PATHWAYS, "h"} - {rules.IA_52072A}
    for citation, text in STATUTE.values():
        assert citation.startswith("EC 52074 (")
        assert "California Collaborative for Educational Excellence" in text


def test_the_intake_form_labels_each_fact_as_eligibility_does():
    fields = {**EligibilityForm().fields, **ThresholdForm().fields}
    on_the_form = {name: fact for name, fact in drafts.FACT_OF_FIELD.items() if name in fields}
    assert set(on_the_form.values()) == {
        "lea_type",
        *rules.BOOLEAN_FIELDS,
        "estimated_months",
        "partners.county_office",
        "partners.geographic_lead",
    }
    for name, fact in on_the_form.items():
        assert fields[name].label == rules.FACT_LABELS[fact]


def test_the_reviewers_verified_facts_form_uses_the_same_labels_as_the_intake_form():
    intake = {**EligibilityForm().fields, **ThresholdForm().fields}
    verified = VerifiedFactsForm().fields
    for name in ("lea_type", *rules.BOOLEAN_FIELDS, "estimated_months"):
        assert verified[name].label == intake[name].label
    assert verified["partner_county_office"].label == intake["partner_county_office"].label
    assert verified["partner_geographic_lead"].label == intake["partner_geographic_lead"].label


def test_the_months_bounds_come_from_eligibility():
    form_field = ThresholdForm().fields["estimated_months"]
    assert (form_field.min_value, form_field.max_value) == (rules.MIN_MONTHS, rules.MAX_MONTHS)
    assert str(rules.THRESHOLD_MAX_MONTHS) in form_field.help_text
    model_field = AssistanceRequest._meta.get_field("estimated_months")
    limits = {
        type(v): v.limit_value
        for v in model_field.validators
        if isinstance(v, MinValueValidator | MaxValueValidator)
    }
    assert limits == {MinValueValidator: rules.MIN_MONTHS, MaxValueValidator: rules.MAX_MONTHS}
    (constraint,) = [
        c for c in AssistanceRequest._meta.constraints if c.name == "estimated_months_in_range"
    ]
    assert ("estimated_months__lte", rules.MAX_MONTHS) in constraint.condition.children[1].children


def test_the_agreement_term_is_capped_at_the_thresholds_months():
    assert MAX_TERM_MONTHS == rules.THRESHOLD_MAX_MONTHS


def test_the_scope_of_works_cost_bases_are_eligibilitys():
    assert dict(ScopeOfWork.CostBasis.choices) == rules.COST_BASIS_LABELS
