"""Facts the state's data answers about a request's LEA, with the data's provenance.

The data is eligibility's (the LCFF Assistance Status years, the emergency apportionments list
kept in the admin); this module joins it to the LEA
directory's CDS code and to the request's attested facts.
"""

from eligibility import selectors as state_selectors

from .models import DaStatus


def data_facts_for(lea) -> dict[str, dict]:
    """Return {fact: {"value": …, "source": …}} for each fact the stored data answers."""
    found = {}
    latest, listed = state_selectors.stored_data_extent()
    intensive = state_selectors.intensive_assistance_for(lea.cds_code, latest=latest)
    if intensive is not None:
        found["intensive_assistance_criteria_met"] = {
            "value": intensive.met,
            "source": intensive.source,
        }
    emergency = state_selectors.emergency_apportionment_for(lea.cds_code, listed=listed)
    if emergency is not None:
        received, source = emergency
        found["emergency_apportionment"] = {"value": received, "source": source}
    return found


def da_status_for(lea) -> tuple[str, str] | None:
    """Return (DaStatus value, source) for the LEA's latest stored LCFF Assistance Status year.

    None when no year is stored for the LEA: the LEA then says its status itself.
    """
    years = state_selectors.assistance_years(lea.cds_code)
    if not years:
        return None
    latest = years[-1]
    value = DaStatus.ELIGIBLE if latest.differentiated_assistance else DaStatus.NOT_ELIGIBLE
    return value, f"CDE LCFF Assistance Status {latest.year}"


def with_data(facts: dict, data_facts: dict) -> dict:
    """Return ``facts`` with each fact the data answers set to the data's value."""
    return {**facts, **{name: fact["value"] for name, fact in data_facts.items()}}


def contradictions(facts: dict, data_facts: dict) -> list[str]:
    """Return the facts whose value in ``facts`` differs from the data's, in the data's order."""
    return [name for name, fact in data_facts.items() if facts.get(name, False) != fact["value"]]
