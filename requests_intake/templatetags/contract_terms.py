"""`{% contract_rows req "need" as rows %}`: the contract fields of a section, labelled and read
as the intake form and the admin label and read them (requests_intake.contract_terms)."""

from django import template

from .. import contract_terms

register = template.Library()

SECTION_ROWS = {"need": contract_terms.NEED_FIELDS, "agreement": contract_terms.AGREEMENT_FIELDS}


@register.simple_tag
def contract_rows(req, section: str) -> list[dict]:
    """Return [{label, value}] for the section's contract fields of the request."""
    return contract_terms.summary_rows(req, SECTION_ROWS[section])
