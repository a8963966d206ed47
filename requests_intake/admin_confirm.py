"""What the reviewers' intermediate pages say before a decision: determinations and warnings.

Approving is final (it starts the scope of work and tells the LEA), and so is declining: the
page shows the determination as the LEA attested it and as CCEE verified it, the cost basis and
the tier in force, and warns in plain words when the verified determination fails CCEE's
minimum threshold or changes who pays.
"""

from eligibility import rules

from .models import AssistanceRequest

S = AssistanceRequest.Status

# Transitions whose page shows each request's determination first.
DECISIONS = frozenset({"approve", "decline"})

INITIAL_CONTACT_NOTE = (
    "Asking for information on a submitted request counts as CCEE's initial verification"
    " follow-up for the 48-hour clock: the request stops waiting on its 48-hour verification,"
    " and the LEA's email says so."
)


def determination_text(determination) -> str:
    """Return a stored determination in one line: pathways, who pays, tier, threshold."""
    if not determination:
        return "None recorded"
    found = rules.Determination.from_dict(determination)
    pathways = "; ".join(f"{code}: {rules.PATHWAY_LABELS[code]}" for code in found.pathways)
    threshold = "meets" if found.meets_ccee_threshold else "does not meet"
    return (
        f"{pathways}. {rules.COST_BASIS_LABELS[found.cost_basis]}. Tier {found.priority_tier};"
        f" {threshold} CCEE's minimum threshold."
    )


def decision_warnings(req: AssistanceRequest) -> list[str]:
    """Return the plain warnings a reviewer reads before deciding on the request."""
    attested, verified = req.determination or {}, req.verified_determination
    if not verified:
        return ["No facts were verified: the determination in force is the one the LEA attested."]
    warnings = []
    if not verified.get("meets_ccee_threshold"):
        warnings.append("The verified determination does not meet CCEE's minimum threshold.")
    if attested and verified.get("cost_basis") != attested.get("cost_basis"):
        before = rules.COST_BASIS_LABELS.get(attested.get("cost_basis"), "unknown")
        after = rules.COST_BASIS_LABELS.get(verified.get("cost_basis"), "unknown")
        warnings.append(
            f"Verification changes who pays: the LEA attested “{before}”, the verified facts"
            f" make it “{after}”. The LEA is told the verified one."
        )
    if attested and verified.get("priority_tier") != attested.get("priority_tier"):
        warnings.append(
            f"Verification changes the priority: tier {attested.get('priority_tier')} attested,"
            f" tier {verified.get('priority_tier')} verified."
        )
    return warnings


def decision_details(req: AssistanceRequest) -> dict:
    """Return the rows and warnings the approve and decline pages show for one request."""
    in_force = req.determination_in_force or {}
    tier = in_force.get("priority_tier")
    return {
        "warnings": decision_warnings(req),
        "rows": [
            ("Determination attested by the LEA", determination_text(req.determination)),
            (
                "Determination from the verified facts",
                determination_text(req.verified_determination)
                if req.verified_determination
                else "No facts verified yet",
            ),
            ("Cost basis in force", rules.COST_BASIS_LABELS.get(in_force.get("cost_basis"), "—")),
            ("Priority tier in force", f"Tier {tier}" if tier else "—"),
        ],
    }
