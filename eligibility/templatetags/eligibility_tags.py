"""Explain a determination: in plain language for LEA staff, with citations for reviewers."""

from collections.abc import Mapping
from typing import Any

from django import template
from django.utils.translation import gettext

from eligibility.rules import (
    COST_BASIS_LABELS,
    FACT_LABELS,
    G1A,
    G1B,
    G2A,
    G3,
    IA_52072A,
    LEA_TYPE_LABELS,
    PATHWAY_CITATIONS,
    PATHWAY_LABELS,
    RULES_VERSION,
    Determination,
    diff_facts,
)

register = template.Library()


def as_determination(value: Determination | Mapping[str, Any] | None) -> Determination | None:
    """Return ``value`` as a Determination: stored dicts are read back, None stays None."""
    if value is None or isinstance(value, Determination):
        return value
    return Determination.from_dict(value)


def _context(value: Determination | Mapping[str, Any] | None) -> dict[str, Any]:
    determination = as_determination(value)
    if determination is None:
        return {"determination": None}
    pathways = set(determination.pathways)
    return {
        "determination": determination,
        "pathways": [
            {"code": p, "label": PATHWAY_LABELS[p], "citation": PATHWAY_CITATIONS[p]}
            for p in determination.pathways
        ],
        "g1a": G1A in pathways,
        "g1b": G1B in pathways,
        "g2a": G2A in pathways,
        "ia_52072a": IA_52072A in pathways,
        "g3": G3 in pathways,
        "cost_label": COST_BASIS_LABELS[determination.cost_basis],
        "warnings": determination.warnings,
        "infos": determination.infos,
        "codes": set(determination.codes),
        "is_current": determination.rules_version == RULES_VERSION,
        "current_rules_version": RULES_VERSION,
    }


@register.inclusion_tag("eligibility/partials/determination_lea.html")
def determination_for_lea(determination, show_evidence=True):
    """Render what a determination means for LEA staff: pathways, cost, priority, evidence.

    `show_evidence=False` leaves out the evidence CCEE will check (once it has been checked).
    """
    return {**_context(determination), "show_evidence": show_evidence}


@register.inclusion_tag("eligibility/partials/determination_reviewer.html")
def determination_for_reviewer(determination, key="determination"):
    """Render a determination for reviewers: summary and every finding with its citation.

    `key` makes the section's ids unique when a page shows two determinations.
    """
    return {**_context(determination), "key": key}


@register.inclusion_tag("eligibility/partials/fact_differences.html")
def fact_differences(attested, verified):
    """Render the facts a reviewer verified differently from what the LEA attested."""
    if verified is None:
        return {"verified": None, "rows": []}
    rows = [
        {
            "field": name,
            "label": FACT_LABELS[name],
            "attested": fact_value(attested_value),
            "verified": fact_value(verified_value),
        }
        for name, attested_value, verified_value in diff_facts(attested, verified)
    ]
    return {"verified": verified, "rows": rows}


@register.filter
def fact_value(value) -> str:
    """Return a fact value as a person reads it: Yes/No, LEA type names, lists joined."""
    if value is True:
        return gettext("Yes")
    if value is False:
        return gettext("No")
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value) if value else gettext("None")
    if isinstance(value, str) and value in LEA_TYPE_LABELS:
        return LEA_TYPE_LABELS[value].capitalize()
    return str(value)
