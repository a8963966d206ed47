"""Scope-of-work versions: the content each version went to the agent with, and what changed.

The send-to-agent transition keeps a snapshot of the version it sends (contracts.services);
`compare` lines up the activities, deliverables and cost lines of two versions (matched by
title or description, else by position) and the text fields, for the agent's comparison page.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from decimal import Decimal

from .documents import long_date, money, quantity_text, signatory_line

# How alike two titles must be (difflib's ratio) for a row to count as reworded, not replaced.
RENAMED_RATIO = 0.6

TEXT_FIELDS = [
    ("agent_name", "Administrative agent"),
    ("lea_party", "The LEA as a party"),
    ("signatory", "Authorised signatory"),
    ("background", "Background"),
    ("statutory_basis", "Statutory basis"),
    ("systemic_review", "Systemic review"),
    ("problem_of_practice", "Problem of practice"),
    ("theory_of_action", "Theory of action"),
    ("goals", "Goals"),
    ("indicators", "Measurable indicators"),
    ("assistance_method", "Assistance method"),
    ("provider", "Provider"),
    ("schools_in_scope", "Schools in scope"),
    ("roles", "Roles and responsibilities"),
    ("term", "Term"),
    ("term_reason", "Reason for the term"),
    ("cost_basis", "Cost basis"),
    ("cost_sharing_parties", "Cost-sharing parties"),
    ("funding_terms", "Budget, funding and board approval"),
    ("total", "Total cost"),
]

# Each list: its key, heading, the key rows are matched by, and the columns shown.
LISTS = [
    (
        "activities",
        "Activities",
        "title",
        [
            ("title", "Activity"),
            ("description", "What it involves"),
            ("dates", "Dates"),
            ("responsible", "Led by"),
        ],
    ),
    (
        "deliverables",
        "Deliverables",
        "title",
        [("title", "Deliverable"), ("due", "Due"), ("indicator", "Indicator")],
    ),
    (
        "cost_lines",
        "Cost lines",
        "description",
        [
            ("description", "Item"),
            ("quantity", "Quantity"),
            ("unit_cost", "Unit cost"),
            ("amount", "Amount"),
            ("paid_by", "Paid by"),
        ],
    ),
]


def snapshot(sow) -> dict:
    """Return the content of the scope of work as plain values (what a version holds)."""
    lines = list(sow.cost_lines.all())
    return {
        "version": sow.version,
        "agent_name": sow.agent_name,
        "lea_party": sow.lea_legal_name,
        "signatory": signatory_line(sow),
        "background": sow.background,
        "statutory_basis": sow.statutory_basis,
        "systemic_review": sow.systemic_review,
        "problem_of_practice": sow.problem_of_practice,
        "theory_of_action": sow.theory_of_action,
        "goals": sow.goals,
        "indicators": sow.indicators,
        "assistance_method": sow.get_assistance_method_display(),
        "provider": sow.provider,
        "schools_in_scope": sow.schools_in_scope,
        "roles": sow.roles,
        "term": f"{long_date(sow.term_start)} to {long_date(sow.term_end)}",
        "term_reason": sow.term_reason,
        "cost_basis": sow.get_cost_basis_display(),
        "cost_sharing_parties": sow.cost_sharing_parties,
        "funding_terms": sow.funding_terms,
        "total": money(sum((line.amount for line in lines), Decimal("0.00"))),
        "activities": [
            {
                "title": a.title,
                "description": a.description,
                "dates": f"{long_date(a.start_date)} – {long_date(a.end_date)}",
                "responsible": a.responsible,
            }
            for a in sow.activities.all()
        ],
        "deliverables": [
            {"title": d.title, "due": long_date(d.due_date), "indicator": d.indicator}
            for d in sow.deliverables.all()
        ],
        "cost_lines": [
            {
                "description": line.description,
                "quantity": quantity_text(line.quantity, line.unit),
                "unit_cost": money(line.unit_cost),
                "amount": money(line.amount),
                "paid_by": line.paid_by,
            }
            for line in lines
        ],
    }


@dataclass
class Cell:
    old: str
    new: str

    @property
    def changed(self) -> bool:
        return self.old != self.new


@dataclass
class Row:
    status: str  # "added", "removed", "changed" or "same"
    cells: list[Cell]

    @property
    def label(self) -> str:
        return {"added": "Added", "removed": "Removed", "changed": "Changed", "same": "Unchanged"}[
            self.status
        ]


@dataclass
class ListDiff:
    key: str
    heading: str
    columns: list[str]
    rows: list[Row] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(row.status != "same" for row in self.rows)


@dataclass
class TextDiff:
    label: str
    old: str
    new: str
    # (tag, text) pieces of the redline: "same", "removed" or "added" words.
    pieces: list[tuple[str, str]]


@dataclass
class Comparison:
    old_version: int
    new_version: int
    lists: list[ListDiff]
    texts: list[TextDiff]

    @property
    def changed(self) -> bool:
        return bool(self.texts) or any(diff.changed for diff in self.lists)


def redline(old: str, new: str) -> list[tuple[str, str]]:
    """Return the words of `new` against `old`, each run tagged same, removed or added."""
    a, b = (old or "").split(), (new or "").split()
    pieces: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pieces.append(("same", " ".join(a[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(("removed", " ".join(a[i1:i2])))
        if j2 > j1:
            pieces.append(("added", " ".join(b[j1:j2])))
    return pieces


def _pair(old_rows: list[dict], new_rows: list[dict], key: str):
    """Yield (old, new) pairs: same key first, then what is left by position, then the rest."""
    unmatched_new = list(range(len(new_rows)))
    pairs = []
    leftover_old = []
    for old in old_rows:
        match = next((j for j in unmatched_new if new_rows[j][key] == old[key]), None)
        if match is None:
            leftover_old.append(old)
        else:
            unmatched_new.remove(match)
            pairs.append((old, new_rows[match], match))
    # A row whose key was reworded (similar enough) is a change; anything else is removed/added.
    for old in leftover_old:
        scored = [
            (difflib.SequenceMatcher(a=old[key], b=new_rows[j][key]).ratio(), j)
            for j in unmatched_new
        ]
        ratio, j = max(scored, default=(0.0, None))
        if j is not None and ratio >= RENAMED_RATIO:
            pairs.append((old, new_rows[j], j))
            unmatched_new.remove(j)
    paired_old = {id(p[0]) for p in pairs}
    removed = [old for old in old_rows if id(old) not in paired_old]
    ordered = sorted(pairs, key=lambda p: p[2])
    result = [(old, new) for old, new, _ in ordered]
    result += [(None, new_rows[j]) for j in unmatched_new]
    result += [(old, None) for old in removed]
    return result


def _list_diff(key, heading, match_key, columns, old: dict, new: dict) -> ListDiff:
    diff = ListDiff(key=key, heading=heading, columns=[label for _, label in columns])
    for before, after in _pair(old.get(key, []), new.get(key, []), match_key):
        cells = [
            Cell((before or {}).get(name, ""), (after or {}).get(name, "")) for name, _ in columns
        ]
        if before is None:
            status = "added"
        elif after is None:
            status = "removed"
        else:
            status = "changed" if any(cell.changed for cell in cells) else "same"
        diff.rows.append(Row(status=status, cells=cells))
    return diff


def compare(old: dict, new: dict) -> Comparison:
    """Return what changed from the content `old` to the content `new` (two snapshots)."""
    texts = [
        TextDiff(
            label,
            old.get(name, ""),
            new.get(name, ""),
            redline(old.get(name, ""), new.get(name, "")),
        )
        for name, label in TEXT_FIELDS
        if old.get(name, "") != new.get(name, "")
    ]
    lists = [_list_diff(*spec, old, new) for spec in LISTS]
    return Comparison(
        old_version=old.get("version"), new_version=new.get("version"), lists=lists, texts=texts
    )
