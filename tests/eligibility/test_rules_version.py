"""RULES_VERSION must change whenever what the rules conclude changes.

The fingerprint covers every combination the rules distinguish. If a change to
eligibility/rules.py alters any determination (pathway, cost, tier, code, citation or message),
this test fails until RULES_VERSION is bumped and the new fingerprint recorded here.
"""

import hashlib
import itertools
import json

from eligibility.rules import BOOLEAN_FIELDS, LEA_TYPES, RULES_VERSION, evaluate

FINGERPRINTS = {
    "2025-11-23.1": "91e1c0f129420b8ad5db53685c0aa3ad6b2744d95d823a926cb4134f07d02145",
    # EC 52072(a) intensive assistance, REIMBURSEMENT_NOT_AGREED, 52072.1 and "if CCEE provides".
    "2026-12-01.1": "d3c84f1cf8d2ebbf6a9819eb892089e92340ffc8edde7cfb215bd9f57bb0e538",
}


def behaviour_fingerprint() -> str:
    digest = hashlib.sha256()
    for lea_type, flags, months, (county, geo), listed in itertools.product(
        LEA_TYPES,
        itertools.product((False, True), repeat=len(BOOLEAN_FIELDS)),
        (1, 9, 10, 120),
        itertools.product((False, True), repeat=2),
        (None, *LEA_TYPES),
    ):
        facts = {
            "lea_type": lea_type,
            "estimated_months": months,
            "partners": {"county_office": county, "geographic_lead": geo},
            **dict(zip(BOOLEAN_FIELDS, flags, strict=True)),
        }
        directory = None if listed is None else {"lea_type": listed}
        data = evaluate(facts, directory=directory).to_dict()
        del data["rules_version"]
        digest.update(json.dumps(data, sort_keys=True).encode())
    return digest.hexdigest()


def test_rules_version_is_bumped_when_behaviour_changes():
    fingerprint = behaviour_fingerprint()
    assert FINGERPRINTS.get(RULES_VERSION) == fingerprint, (
        "The rules' behaviour changed: bump RULES_VERSION in eligibility/rules.py and record"
        f" {fingerprint!r} for it in FINGERPRINTS."
    )


def test_each_rules_version_has_its_own_fingerprint():
    assert len(set(FINGERPRINTS.values())) == len(FINGERPRINTS)
