"""Render one agreement DOCX from the built-in template and print the median time of 15 runs.

Run from the project root: ``python bench/bench_docx.py`` (no Django settings or database: the
context has the shape contracts.documents.agreement_context() returns for a full scope of work).
"""

import statistics
import sys
import time
from pathlib import Path

# Run as a plain script, so the project root is not on sys.path by default.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from contracts.documents import default_template_bytes, render_agreement, sample_context  # noqa: E402

RUNS = 15


def full_context() -> dict:
    """Return a context the size of a real agreement: 6 activities, 5 deliverables, 4 costs."""
    context = sample_context()
    context["activities"] = [
        {
            "title": f"Activity {n}: coaching cycle with the leading team",
            "description": "Observation, feedback and planning with grade 3-5 teachers.",
            "dates": "February 2, 2027 – March 31, 2027",
            "responsible": "CCEE",
        }
        for n in range(1, 7)
    ]
    context["deliverables"] = [
        {"title": f"Deliverable {n}", "due": "April 30, 2027", "indicator": "Adopted by the LEA"}
        for n in range(1, 6)
    ]
    context["cost_lines"] = [
        {
            "description": f"Cost line {n}",
            "quantity": "12 day",
            "unit_cost": "$1,250.00",
            "amount": "$15,000.00",
            "paid_by": "Sample Unified",
        }
        for n in range(1, 5)
    ]
    context["total"] = "$60,000.00"
    context["background"] = "Background of the request. " * 40
    return context


def main() -> None:
    template = default_template_bytes()
    context = full_context()
    render_agreement(template, context)  # warm up imports and caches
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        content = render_agreement(template, context)
        timings.append(time.perf_counter() - started)
    median = statistics.median(timings)
    print(
        f"One agreement DOCX ({len(content):,} bytes) rendered in {median * 1000:.1f} ms "
        f"(median of {RUNS}; fastest {min(timings) * 1000:.1f} ms, slowest "
        f"{max(timings) * 1000:.1f} ms)"
    )


if __name__ == "__main__":
    main()
