"""What an uploaded file's bytes show: its type, and whether its structure is safe to keep.

The public API is core.files (check_upload); this module holds the inspections it runs. Each
inspection raises Refused(code, reason) with a reason a person can act on; `reason` is a
sentence that core.files puts after the file's name.

- Every file: no HTML markup anywhere in its bytes (an HTML-bearing polyglot, such as a PDF or a
  PNG that a browser would also render as a page, is refused).
- PDF: read with pypdf; no JavaScript and no launch action anywhere (in the document's objects,
  compressed object streams included, and in the raw bytes, with #xx-escaped names decoded).
- Word and Excel (Office Open XML): the package's required parts for its type exist; the total
  uncompressed size and the compression ratio are bounded, counted while decompressing, not
  taken from the archive's own claims; no relationship that Office follows by itself to an
  outside address (a hyperlink, which the reader clicks, is allowed); no macros or ActiveX; no
  HTML or script part; XML is parsed with defusedxml (no DTDs, no entities).
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from typing import TYPE_CHECKING

import filetype
from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

if TYPE_CHECKING:
    from pypdf import PdfReader

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

_HEADER_BYTES = 8192
_SCAN_CHUNK = 1024 * 1024
_SCAN_OVERLAP = 64


@dataclass(frozen=True)
class Limits:
    """The bounds an Office Open XML package is held to (core.files reads them from settings)."""

    max_uncompressed_bytes: int = 100 * 1024 * 1024
    max_ratio: int = 100
    # Below this much, a high ratio is only repetitive text: no reader is overwhelmed by it.
    ratio_applies_above: int = 10 * 1024 * 1024
    max_entries: int = 5000
    max_xml_part_bytes: int = 5 * 1024 * 1024


class Refused(ValueError):
    """The file cannot be kept; `code` names the check, `reason` says why in plain words."""

    def __init__(self, code: str, reason: str):
        super().__init__(reason)
        self.code = code
        self.reason = reason


# --- Type by content ----------------------------------------------------------------------


def magic_type(upload) -> str | None:
    """Return PDF, PNG, JPEG or "zip" when the first bytes show one of them, else None."""
    upload.seek(0)
    header = upload.read(_HEADER_BYTES)
    upload.seek(0)
    kind = filetype.guess(header)
    if kind is None:
        return None
    if kind.mime in (PDF, PNG, JPEG):
        return kind.mime
    if kind.extension in ("zip", "docx", "xlsx"):
        return "zip"
    return None


# --- HTML-bearing polyglots ---------------------------------------------------------------

# A tag a browser would render or run, followed by what ends a tag name. Compressed data
# matches this by chance about once in 10^12 bytes; a polyglot carries it in the clear.
_HTML_MARKUP = re.compile(
    rb"<(?:!doctype\s+html|html|head|body|script|iframe|frame|frameset|object|embed|svg|img|"
    rb"meta|link|style|form|a\s+href|base)[\s/>]",
    re.IGNORECASE,
)
# In any XML part of an Office package: elements of a page (text would be escaped as &lt;).
_SCRIPT_IN_XML = re.compile(rb"<(?:script|html|iframe|!doctype\s+html)[\s/>]", re.IGNORECASE)
# In drawings (SVG, VML) and relationships only, where no prose is: scripts' other forms.
_SCRIPT_IN_DRAWING = re.compile(rb"javascript:|\son[a-z]+\s*=", re.IGNORECASE)


def _chunks_with_overlap(upload):
    upload.seek(0)
    tail = b""
    while True:
        chunk = upload.read(_SCAN_CHUNK)
        if not chunk:
            break
        yield tail + chunk
        tail = chunk[-_SCAN_OVERLAP:]
    upload.seek(0)


def refuse_html_markup(upload) -> None:
    """Refuse a file whose bytes carry HTML markup (a page hidden in a PDF, image or archive)."""
    for window in _chunks_with_overlap(upload):
        if _HTML_MARKUP.search(window):
            upload.seek(0)
            raise Refused(
                "html",
                "contains web page (HTML) code besides its own content, which is how a file "
                "is disguised to run in a browser. Save or export it again from the program "
                "that made it, or print it to a new PDF, and upload that copy.",
            )


# --- PDF ----------------------------------------------------------------------------------

_RAW_PDF_NAME = re.compile(rb"/(?:J|#4[aA]|L|#4[cC])[A-Za-z0-9#]*")
_HEX_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_ACTIVE_NAMES = {b"/JS", b"/JavaScript", b"/Launch"}
_PDF_ACTIVE_REASON = (
    "is a PDF that contains {what}, which a reader would run when it is opened. Print it to a "
    "new PDF (or save it without scripts) and upload that copy."
)


def _decoded_name(raw: bytes) -> bytes:
    return _HEX_ESCAPE.sub(lambda match: bytes([int(match.group(1), 16)]), raw)


def _raw_active_name(upload) -> bytes | None:
    for window in _chunks_with_overlap(upload):
        for match in _RAW_PDF_NAME.finditer(window):
            name = _decoded_name(match.group(0))
            if name in _ACTIVE_NAMES:
                upload.seek(0)
                return name
    return None


def _active_in(value, depth: int = 0) -> str | None:
    """Return what active content a PDF object holds (direct objects only), or None."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    if depth > 50:
        return None
    if isinstance(value, DictionaryObject):
        if NameObject("/JS") in value or NameObject("/JavaScript") in value:
            return "JavaScript"
        action = value.get("/S")
        if action in ("/JavaScript", "/Launch"):
            return "JavaScript" if action == "/JavaScript" else "a launch action"
        children = value.values()
    elif isinstance(value, ArrayObject):
        children = value
    else:
        return None
    for child in children:
        if isinstance(child, IndirectObject):
            continue  # every indirect object is visited on its own
        found = _active_in(child, depth + 1)
        if found:
            return found
    return None


def _object_numbers(reader: PdfReader):
    for generation, table in reader.xref.items():
        for number in table:
            yield number, generation
    for number in reader.xref_objStm:
        yield number, 0


def inspect_pdf(upload) -> None:
    """Refuse a PDF that pypdf cannot read, that is password-protected, or that runs code."""
    # pypdf is imported on the first PDF checked, not by every process at start-up.
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError
    from pypdf.generic import IndirectObject

    raw = _raw_active_name(upload)
    if raw is not None:
        what = "a launch action" if raw == b"/Launch" else "JavaScript"
        raise Refused("pdf_active", _PDF_ACTIVE_REASON.format(what=what))
    upload.seek(0)
    try:
        reader = PdfReader(upload, strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise Refused(
                "pdf_encrypted",
                "is a password-protected PDF, so its content cannot be checked. Save it "
                "without a password and upload it again.",
            )
        for number, generation in _object_numbers(reader):
            found = _active_in(reader.get_object(IndirectObject(number, generation, reader)))
            if found:
                raise Refused("pdf_active", _PDF_ACTIVE_REASON.format(what=found))
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
        if isinstance(exc, Refused):
            raise
        raise Refused(
            "pdf_damaged",
            "could not be read as a PDF (it may be damaged). Save or print it to a new PDF "
            "and upload that copy.",
        ) from exc
    finally:
        upload.seek(0)


# --- Office Open XML ----------------------------------------------------------------------

_MAIN_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": DOCX,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": XLSX,
}
_MACRO_TYPES = (
    "application/vnd.ms-word.document.macroenabled.main+xml",
    "application/vnd.ms-word.template.macroenabledtemplate.main+xml",
    "application/vnd.ms-excel.sheet.macroenabled.main+xml",
    "application/vnd.ms-excel.template.macroenabled.main+xml",
    "application/vnd.ms-office.vbaproject",
    "application/vnd.ms-office.activex+xml",
    "application/vnd.ms-office.activex",
)
_HTML_TYPES = ("text/html", "application/xhtml+xml", "message/rfc822", "text/javascript")
_HTML_SUFFIXES = (".htm", ".html", ".xhtml", ".mht", ".mhtml", ".js", ".hta")
_XML_DECLARATIONS = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_MACROS_REASON = (
    "contains macros or ActiveX controls, which the portal does not accept. Save it as a "
    "plain Word document (.docx) or Excel workbook (.xlsx) and upload that copy."
)
# What zipfile can decompress; any other method (Deflate64, PPMd...) and the zip's patched-data
# and strong-encryption flags (bits 5 and 6) are refused before a part is read.
_READABLE_COMPRESSION = {
    zipfile.ZIP_STORED,
    zipfile.ZIP_DEFLATED,
    zipfile.ZIP_BZIP2,
    zipfile.ZIP_LZMA,
}
_UNREADABLE_FLAGS = 0x20 | 0x40
_COMPRESSION_REASON = (
    "is compressed in a way Word and Excel do not use, so its content cannot be checked. Open "
    "it in Word or Excel, save it again, then upload that copy."
)
_DAMAGED_REASON = (
    "could not be read as a Word or Excel document (it may be damaged). Open it and save it "
    "again, then upload that copy."
)


def _refuse_names(infos, limits: Limits) -> None:
    if len(infos) > limits.max_entries:
        raise Refused("ooxml_parts", f"holds more than {limits.max_entries:,} parts.")
    for info in infos:
        name = info.filename
        if name.startswith(("/", "\\")) or ".." in name.split("/") or "\\" in name:
            raise Refused("ooxml_damaged", _DAMAGED_REASON)
        if info.flag_bits & 0x1:
            raise Refused(
                "ooxml_encrypted",
                "is password-protected, so its content cannot be checked. Save it without a "
                "password and upload it again.",
            )
        if info.compress_type not in _READABLE_COMPRESSION or info.flag_bits & _UNREADABLE_FLAGS:
            raise Refused("ooxml_compression", _COMPRESSION_REASON)
        lowered = name.lower()
        if lowered.endswith("vbaproject.bin") or "/activex/" in f"/{lowered}":
            raise Refused("ooxml_macros", _MACROS_REASON)
        if lowered.endswith(_HTML_SUFFIXES):
            raise Refused("ooxml_html", _ooxml_html_reason())


def _ooxml_html_reason() -> str:
    return (
        "contains a web page (HTML) or script part, which Word and Excel documents do not "
        "need. Save it again as a plain document and upload that copy."
    )


def _refuse_declared_size(infos, limits: Limits) -> None:
    total = sum(info.file_size for info in infos)
    packed = sum(info.compress_size for info in infos)
    _refuse_size(total, packed, limits)


def _refuse_size(total: int, packed: int, limits: Limits) -> None:
    if total > limits.max_uncompressed_bytes:
        limit_mb = limits.max_uncompressed_bytes // (1024 * 1024)
        raise Refused(
            "ooxml_size",
            f"expands to more than {limit_mb} MB when opened. Split it into smaller files, or "
            "save it as a PDF, and upload those.",
        )
    if total > limits.ratio_applies_above and total > limits.max_ratio * max(packed, 1):
        raise Refused(
            "ooxml_ratio",
            f"expands more than {limits.max_ratio} times when opened, as no real document "
            "does (a \u201czip bomb\u201d). Save it again from Word or Excel, or as a PDF.",
        )


def _read_part(archive, info, limits: Limits, counter: list[int]) -> bytes | None:
    """Decompress one part, counting the bytes really produced; keep XML parts' content."""
    keep = info.filename.lower().endswith((".xml", ".rels", ".svg", ".vml"))
    kept = []
    with archive.open(info) as stream:
        while True:
            chunk = stream.read(_SCAN_CHUNK)
            if not chunk:
                break
            counter[0] += len(chunk)
            _refuse_size(counter[0], counter[1], limits)
            if keep:
                kept.append(chunk)
    content = b"".join(kept) if keep else None
    drawing = info.filename.lower().endswith((".svg", ".vml", ".rels"))
    if content is not None and (
        _SCRIPT_IN_XML.search(content) or (drawing and _SCRIPT_IN_DRAWING.search(content))
    ):
        raise Refused("ooxml_html", _ooxml_html_reason())
    if content is not None and _XML_DECLARATIONS.search(content):
        raise Refused(
            "ooxml_xml",
            "contains XML declarations (a DTD or entities) that Word and Excel documents do "
            "not use, and that can make a reader expand it without end. Save it again from "
            "Word or Excel and upload that copy.",
        )
    return content


def _xml(content: bytes | None, limits: Limits):
    if content is None or len(content) > limits.max_xml_part_bytes:
        raise Refused("ooxml_damaged", _DAMAGED_REASON)
    return SafeET.fromstring(content)


def _content_types(root) -> tuple[dict[str, str], dict[str, str]]:
    defaults = {
        (node.get("Extension") or "").lower(): (node.get("ContentType") or "").lower()
        for node in root.iter(f"{_CT_NS}Default")
    }
    overrides = {
        (node.get("PartName") or "").lstrip("/"): (node.get("ContentType") or "").lower()
        for node in root.iter(f"{_CT_NS}Override")
    }
    return defaults, overrides


def _refuse_relationships(root) -> None:
    for rel in root.iter(f"{_REL_NS}Relationship"):
        external = (rel.get("TargetMode") or "").lower() == "external"
        if external and not (rel.get("Type") or "").endswith("/hyperlink"):
            raise Refused(
                "ooxml_external",
                "links to content outside the file that Word or Excel would fetch when it is "
                "opened (an external relationship). Save it with that content embedded, or "
                "as a PDF, and upload that copy.",
            )


def _main_part(package_rels) -> str | None:
    for rel in package_rels.iter(f"{_REL_NS}Relationship"):
        if (rel.get("Type") or "").endswith("/officeDocument"):
            return (rel.get("Target") or "").lstrip("/")
    return None


def _package_type(parts: dict, limits: Limits) -> str:
    """Return DOCX or XLSX from the package's required parts, or refuse it."""
    missing = Refused(
        "ooxml_parts",
        "is not a complete Word (.docx) or Excel (.xlsx) document: parts every such document "
        "has are missing. Open it in Word or Excel, save it again, and upload that copy.",
    )
    if "[Content_Types].xml" not in parts or "_rels/.rels" not in parts:
        raise missing
    defaults, overrides = _content_types(_xml(parts["[Content_Types].xml"], limits))
    declared = [*defaults.values(), *overrides.values()]
    if any(kind in _MACRO_TYPES for kind in declared):
        raise Refused("ooxml_macros", _MACROS_REASON)
    if any(kind in _HTML_TYPES for kind in declared):
        raise Refused("ooxml_html", _ooxml_html_reason())
    main = _main_part(_xml(parts["_rels/.rels"], limits))
    if not main or main not in parts:
        raise missing
    content_type = _MAIN_TYPES.get(overrides.get(main, ""))
    if content_type is None:
        raise missing
    return content_type


def inspect_ooxml(upload, limits: Limits) -> str:
    """Return DOCX or XLSX for a sound Office Open XML package, or raise Refused saying why."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            infos = archive.infolist()
            _refuse_names(infos, limits)
            _refuse_declared_size(infos, limits)
            counter = [0, sum(info.compress_size for info in infos)]
            parts = {}
            for info in infos:
                if info.is_dir():
                    continue
                parts[info.filename] = _read_part(archive, info, limits, counter)
                if info.filename.lower().endswith(".rels"):
                    _refuse_relationships(_xml(parts[info.filename], limits))
            return _package_type(parts, limits)
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        RuntimeError,
        EOFError,
        OSError,
        SafeET.ParseError,
        DefusedXmlException,
        ValueError,
    ) as exc:
        if isinstance(exc, Refused):
            raise
        raise Refused("ooxml_damaged", _DAMAGED_REASON) from exc
    finally:
        upload.seek(0)
