"""Time core.files.check_upload on large accepted files and on the corpus's bombs.

Run from the project root: ``python bench/bench_uploads.py`` (no database). Prints, for each
file, its size, the median and p95 of 7 checks, and the outcome, so the cost of reading every
PDF object and decompressing every Office part is a figure, not a guess.
"""

import io
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ccee_portal.settings")

import django  # noqa: E402

django.setup()

from django.core.exceptions import ValidationError  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402

from core.files import check_upload  # noqa: E402
from tests.data.uploads import corpus  # noqa: E402

RUNS = 7
MB = 1024 * 1024


def big_pdf(pages: int, padding: int) -> bytes:
    """A PDF of `pages` pages, each with a content stream of `padding` bytes."""
    objects = [b"<</Type/Catalog/Pages 2 0 R>>", b""]
    kids = []
    for page in range(pages):
        kids.append(b"%d 0 R" % (3 + 2 * page))
        stream = b"0 0 m " * (padding // 6)
        objects.append(
            b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents %d 0 R>>" % (4 + 2 * page)
        )
        objects.append(b"<</Length %d>>\nstream\n" % len(stream) + stream + b"\nendstream")
    objects[1] = b"<</Type/Pages/Kids[" + b" ".join(kids) + b"]/Count %d>>" % pages
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<</Size %d /Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def big_docx(size: int) -> bytes:
    text = "".join(
        f"<w:p><w:r><w:t>Paragraph {n} of the letter.</w:t></w:r></w:p>" for n in range(size // 60)
    )
    return corpus.docx(body=corpus.word_body().replace("<w:body>", "<w:body>" + text, 1))


def measure(name: str, content: bytes) -> None:
    times = []
    outcome = ""
    for _ in range(RUNS):
        upload = SimpleUploadedFile(name, content)
        start = time.perf_counter()
        try:
            outcome = "accepted as " + check_upload(upload).content_type.rsplit("/", 1)[-1]
        except ValidationError as exc:
            outcome = f"refused ({exc.code})"
        times.append(time.perf_counter() - start)
    times.sort()
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    print(
        f"{name:<28} {len(content) / MB:7.2f} MB  median {statistics.median(times) * 1000:8.1f} ms"
        f"  p95 {p95 * 1000:8.1f} ms  {outcome}"
    )


def main() -> None:
    measure("pdf-2000-pages.pdf", big_pdf(2000, 9000))
    measure("letter-19mb-unpacked.docx", big_docx(19 * MB))
    bombs = {row.name: row for row in corpus.ROWS if row.name in ("bomb.docx", "ratio.docx")}
    for name, row in bombs.items():
        measure(name, row.build())
    measure("scan.png", corpus.png() + io.BytesIO(b"\x00" * (19 * MB)).getvalue())


if __name__ == "__main__":
    main()
