"""Evaluate 100,000 generated fact sets and print evaluations per second.

Run from the project root: ``python bench/bench_eligibility.py`` (no Django settings needed).
"""

import random
import sys
import time
from pathlib import Path

# Run as a plain script, so the project root is not on sys.path by default.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from eligibility.rules import BOOLEAN_FIELDS, LEA_TYPES, MAX_MONTHS, MIN_MONTHS, evaluate  # noqa: E402

COUNT = 100_000
SEED = 52074


def generate(count: int, seed: int) -> list[dict]:
    """Return ``count`` valid fact dicts drawn from every combination the rules distinguish."""
    rng = random.Random(seed)
    fact_sets = []
    for _ in range(count):
        facts = {
            "lea_type": rng.choice(LEA_TYPES),
            "estimated_months": rng.randint(MIN_MONTHS, MAX_MONTHS // 8),
            "partners": {
                "county_office": rng.random() < 0.5,
                "geographic_lead": rng.random() < 0.5,
                "other": ["FCMAT"] if rng.random() < 0.3 else [],
            },
        }
        for name in BOOLEAN_FIELDS:
            # Leave some booleans out, as forms and files do, to exercise the defaults.
            if rng.random() < 0.8:
                facts[name] = rng.random() < 0.5
        fact_sets.append(facts)
    return fact_sets


def main() -> None:
    fact_sets = generate(COUNT, SEED)
    started = time.perf_counter()
    for facts in fact_sets:
        # Parsing is part of the cost: the intake form and the command pass dicts.
        evaluate(facts).to_dict()
    elapsed = time.perf_counter() - started
    print(
        f"{COUNT:,} evaluations in {elapsed:.2f} s: {COUNT / elapsed:,.0f} evaluations per second"
    )


if __name__ == "__main__":
    main()
