"""Time the agreement PDF (WeasyPrint through core/pdf.py) and the e-signature's stamp and seal.

Run from the repository root (no database: it renders the sample agreement the template check
uses, with as many activities and cost lines as asked):

    python bench/bench_agreement_pdf.py [ROWS] [RUNS]

It prints the median and p95 of rendering the agreement PDF, of appending a signature page and
sealing it (pyHanko), and of checking the seal, each over RUNS runs (default 15), the PDF's size
and page count. The seal key is generated in a temporary folder that is removed afterwards.
"""

import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ccee_portal.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789")
os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault(
    "DJANGO_STATICFILES_STORAGE", "django.contrib.staticfiles.storage.StaticFilesStorage"
)

import django  # noqa: E402

django.setup()

import pypdf  # noqa: E402
from django.conf import settings  # noqa: E402

from contracts import documents, signature  # noqa: E402
from core.pdf import render_pdf  # noqa: E402


def timed(function, runs):
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = function()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times), p95, result


def main():
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 15
    context = documents.sample_context()
    context["activities"] = context["activities"] * rows
    context["cost_lines"] = context["cost_lines"] * rows
    with tempfile.TemporaryDirectory() as folder:
        settings.AGREEMENT_SEAL_DIR = Path(folder)
        settings.AGREEMENT_SEAL_KEY_FILE = settings.AGREEMENT_SEAL_CERT_FILE = ""
        med, p95, pdf = timed(
            lambda: render_pdf("contracts/agreement_pdf.html", {"a": context}), runs
        )
        pages = len(pypdf.PdfReader(io.BytesIO(pdf)).pages)
        print(
            f"agreement PDF, {rows} activities and cost lines: median {med:.0f} ms, "
            f"p95 {p95:.0f} ms, {len(pdf) / 1024:.0f} KiB, {pages} pages, 0 queries"
        )
        signature.seal_pdf(pdf, reason="warm-up")  # the key is generated once, outside the timing
        med, p95, sealed = timed(lambda: signature.seal_pdf(pdf, reason="bench"), runs)
        print(f"seal (pyHanko, RSA 2048): median {med:.0f} ms, p95 {p95:.0f} ms")
        med, p95, check = timed(lambda: signature.check_seal(sealed), runs)
        print(f"seal check: median {med:.0f} ms, p95 {p95:.0f} ms, valid={check.valid}")


if __name__ == "__main__":
    main()
