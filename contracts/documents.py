"""The DOCX agreement: the built-in default template, the context it reads, and rendering.

Templates are Jinja inside a DOCX (docxtpl). The administrative agent uploads new versions;
they are rendered in a sandbox with undefined names refused, so a template that names a field
the context lacks fails at upload rather than when an agreement is due.

Rendering is bounded (issue 18): the sandbox caps range() at RANGE_LIMIT items and refuses to
repeat a text or list (`'a' * n`) past REPEAT_LIMIT, always; and at upload, check_template
renders the sample agreement in a child process that is stopped after AGREEMENT_RENDER_SECONDS
and may use MEMORY_LIMIT_BYTES more memory, and refuses a rendered document larger than
AGREEMENT_MAX_OUTPUT_BYTES (uncompressed), each with a message saying which bound it passed.
"""

from __future__ import annotations

import io
import multiprocessing
import operator
import resource
import zipfile
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from jinja2 import StrictUndefined, TemplateError
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
RANGE_LIMIT = 1000
REPEAT_LIMIT = 100_000
MEMORY_LIMIT_BYTES = 512 * 1024 * 1024


class TemplateRejected(ValueError):
    """A template that cannot render an agreement; the message says why, in plain words."""


def money(value: Decimal) -> str:
    return f"${value:,.2f}"


def long_date(value: date | None) -> str:
    """A date as people write it: "December 1, 2026"."""
    return f"{value:%B} {value.day}, {value.year}" if value else ""


_long_date = long_date


def quantity_text(quantity: Decimal, unit: str) -> str:
    """A quantity with its unit as people write it: "5 days", "1 day", "2.5 hours"."""
    whole = quantity == quantity.to_integral()
    number = f"{int(quantity):,}" if whole else f"{quantity.normalize():f}"
    unit = (unit or "").strip()
    if not unit:
        return number
    if quantity != 1 and not unit.endswith("s"):
        unit = f"{unit}s"
    return f"{number} {unit}"


def paragraphs(text: str) -> list[str]:
    """The non-empty paragraphs of a text field, each on its own (lines joined within one)."""
    blocks = [
        " ".join(line.strip() for line in block.splitlines())
        for block in (text or "").replace("\r\n", "\n").split("\n\n")
    ]
    return [block for block in blocks if block.strip()]


def lines(text: str) -> list[str]:
    """The non-empty lines of a text field."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def signatory_line(sow) -> str:
    """The authorised signatory as the agreement names them: "Dr. Alex Rivera, Superintendent"."""
    return ", ".join(part for part in (sow.signatory_name, sow.signatory_title) if part)


# Higher apps name the agreement's assistance providers (providers registers one in its
# AppConfig.ready): each hook takes the scope of work and returns a list of
# {"name", "role", "days"} dicts, one per provider assigned to the work.
AGREEMENT_PROVIDER_HOOKS: list = []


def agreement_providers(sow) -> list[dict]:
    """Return the providers the hooks say are assigned to the scope of work."""
    return [row for hook in AGREEMENT_PROVIDER_HOOKS for row in hook(sow)]


def provider_text(sow, providers: list[dict]) -> str:
    """Return who provides the assistance, in words: the assigned providers, else the draft's."""
    if not providers:
        return sow.provider or "To be confirmed"
    parts = []
    for row in providers:
        details = [d for d in (row.get("role"), row.get("days") and f"{row['days']} days") if d]
        parts.append(f"{row['name']} ({', '.join(details)})" if details else row["name"])
    return "; ".join(parts)


def agreement_context(sow) -> dict:
    """Return the plain values the agreement template reads for one scope of work."""
    req = sow.request
    lea = req.lea
    cost_lines = list(sow.cost_lines.all())
    total = sum((line.amount for line in cost_lines), Decimal("0.00"))
    providers = agreement_providers(sow)
    return {
        "reference": req.reference or "",
        "version": sow.version,
        "lea": {
            "name": lea.name,
            "cds_code": lea.cds_code,
            "type": lea.get_lea_type_display(),
            "county": lea.county,
            "legal_name": sow.lea_legal_name or lea.name,
        },
        "lea_contact": f"{req.primary_contact_name}, {req.primary_contact_title}".strip(", "),
        "signatory": {
            "name": sow.signatory_name,
            "title": sow.signatory_title,
            "email": sow.signatory_email,
            "line": signatory_line(sow),
        },
        "schools": lines(sow.schools_in_scope),
        "funding_terms_lines": lines(sow.funding_terms),
        "agent_name": sow.agent_name,
        "background": sow.background,
        "background_paragraphs": paragraphs(sow.background),
        "statutory_basis": lines(sow.statutory_basis),
        "systemic_review": sow.systemic_review,
        "problem_of_practice": sow.problem_of_practice,
        "theory_of_action": sow.theory_of_action,
        "goals": sow.goals,
        "indicators": sow.indicators,
        "assistance_method": sow.get_assistance_method_display(),
        "provider": provider_text(sow, providers),
        "providers": providers,
        "roles": sow.roles,
        "roles_lines": lines(sow.roles),
        "goals_lines": lines(sow.goals),
        "indicators_lines": lines(sow.indicators),
        "problem_paragraphs": paragraphs(sow.problem_of_practice),
        "systemic_review_paragraphs": paragraphs(sow.systemic_review),
        "term_start": _long_date(sow.term_start),
        "term_end": _long_date(sow.term_end),
        "term_reason": sow.term_reason,
        "activities": [
            {
                "title": a.title,
                "description": a.description,
                "dates": f"{_long_date(a.start_date)} – {_long_date(a.end_date)}",
                "responsible": a.responsible,
            }
            for a in sow.activities.all()
        ],
        "deliverables": [
            {"title": d.title, "due": _long_date(d.due_date), "indicator": d.indicator}
            for d in sow.deliverables.all()
        ],
        "cost_basis": sow.get_cost_basis_display(),
        "no_cost_to_lea": sow.cost_basis == sow.CostBasis.STATE_FUNDED,
        "cost_sharing_parties": sow.cost_sharing_parties,
        "cost_lines": [
            {
                "description": line.description,
                "quantity": quantity_text(line.quantity, line.unit),
                "unit_cost": money(line.unit_cost),
                "amount": money(line.amount),
                "paid_by": line.paid_by,
            }
            for line in cost_lines
        ],
        "total": money(total),
    }


def sample_context() -> dict:
    """Return a context of the same shape as agreement_context(), for checking a template."""
    line = {
        "description": "Facilitation days",
        "quantity": "2 days",
        "unit_cost": "$1.00",
        "amount": "$2.00",
        "paid_by": "LEA",
    }
    return {
        "reference": "RFA-2026-0001",
        "version": 1,
        "lea": {
            "name": "Sample Unified",
            "cds_code": "01611920000000",
            "type": "School district",
            "county": "Alameda",
            "legal_name": "Sample Unified School District",
        },
        "lea_contact": "Jordan Lee, Assistant Superintendent",
        "signatory": {
            "name": "Dr. Alex Rivera",
            "title": "Superintendent",
            "email": "arivera@example.org",
            "line": "Dr. Alex Rivera, Superintendent",
        },
        "schools": ["Sample Elementary (01611920130001)"],
        "funding_terms_lines": ["Expected budget: $40,000 to $60,000."],
        "agent_name": "Administrative agent",
        "background": "Background.",
        "background_paragraphs": ["Background."],
        "statutory_basis": ["EC 52074(g)(1)(A): referred by the county superintendent"],
        "systemic_review": "Systemic review.",
        "problem_of_practice": "Problem.",
        "theory_of_action": "Theory.",
        "goals": "Goals.",
        "indicators": "Indicators.",
        "assistance_method": "Coaching",
        "provider": "CCEE",
        "providers": [{"name": "CCEE", "role": "lead coach", "days": 10}],
        "roles": "Roles.",
        "roles_lines": ["Roles."],
        "goals_lines": ["Goals."],
        "indicators_lines": ["Indicators."],
        "problem_paragraphs": ["Problem."],
        "systemic_review_paragraphs": ["Systemic review."],
        "term_start": "January 1, 2026",
        "term_end": "September 30, 2026",
        "term_reason": "",
        "activities": [
            {
                "title": "Kick-off",
                "description": "Agree the plan.",
                "dates": "January 5, 2026 – February 6, 2026",
                "responsible": "CCEE",
            }
        ],
        "deliverables": [{"title": "Report", "due": "March 1, 2026", "indicator": "Delivered"}],
        "cost_basis": "Reimbursed to CCEE by the LEA",
        "no_cost_to_lea": False,
        "cost_sharing_parties": "",
        "cost_lines": [line],
        "total": "$2.00",
    }


def _bounded_range(*args):
    numbers = range(*args)
    if len(numbers) > RANGE_LIMIT:
        raise SecurityError(f"range() may give at most {RANGE_LIMIT:,} numbers")
    return numbers


class BoundedSandbox(SandboxedEnvironment):
    """The sandbox, with range() and repetition (`*`, `**`) bounded."""

    intercepted_binops = frozenset({"*", "**"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.globals["range"] = _bounded_range

    def call_binop(self, context, operator_name, left, right):
        if operator_name == "**" and isinstance(right, int) and abs(right) > 100:
            raise SecurityError("a power may have an exponent of at most 100")
        if operator_name == "*":
            for sequence, times in ((left, right), (right, left)):
                repeated = isinstance(sequence, str | list | tuple) and isinstance(times, int)
                if repeated and len(sequence) * times > REPEAT_LIMIT:
                    raise SecurityError(
                        f"a text or list may be repeated to at most {REPEAT_LIMIT:,} "
                        "characters or items"
                    )
        return {"*": operator.mul, "**": operator.pow}[operator_name](left, right)


def _environment() -> SandboxedEnvironment:
    # Sandboxed: a template is uploaded content. Undefined names fail instead of printing "".
    return BoundedSandbox(undefined=StrictUndefined, autoescape=True)


def render_agreement(template_bytes: bytes, context: dict) -> bytes:
    """Return the DOCX bytes of the template rendered with `context`."""
    # python-docx and docxtpl are imported on the first DOCX, not by every process at start-up.
    from docxtpl import DocxTemplate

    doc = DocxTemplate(io.BytesIO(template_bytes))
    doc.render(context, jinja_env=_environment(), autoescape=True)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _uncompressed_size(docx_bytes: bytes) -> int:
    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as archive:
        return sum(info.file_size for info in archive.infolist())


def _limit_memory() -> None:
    """Let this (child) process use at most MEMORY_LIMIT_BYTES more address space."""
    try:
        with open("/proc/self/statm") as statm:
            pages = int(statm.read().split()[0])
        now = pages * resource.getpagesize()
        resource.setrlimit(resource.RLIMIT_AS, (now + MEMORY_LIMIT_BYTES, resource.RLIM_INFINITY))
    except (OSError, ValueError):  # not Linux: the time bound still holds
        pass


def _render_in_child(pipe, template_bytes: bytes, context: dict) -> None:
    """Render in the child process and send back only what happened (never the bytes)."""
    _limit_memory()
    try:
        pipe.send(("ok", _uncompressed_size(render_agreement(template_bytes, context))))
    except TemplateError as exc:
        pipe.send(("template", exc.message, getattr(exc, "lineno", None)))
    except MemoryError:
        pipe.send(("memory",))
    except Exception as exc:  # a damaged document: python-docx/lxml raise many kinds
        pipe.send(("damaged", str(exc)))
    finally:
        pipe.close()


def _render_bounded(template_bytes: bytes, context: dict) -> tuple:
    """Render in a child process stopped after AGREEMENT_RENDER_SECONDS; return its outcome."""
    seconds = settings.AGREEMENT_RENDER_SECONDS
    processes = multiprocessing.get_context("fork")
    receiving, sending = processes.Pipe(duplex=False)
    child = processes.Process(
        target=_render_in_child, args=(sending, template_bytes, context), daemon=True
    )
    child.start()
    sending.close()
    try:
        if not receiving.poll(seconds):
            return ("slow", seconds)
        return receiving.recv()
    except EOFError:  # the child died: killed by the memory limit, most often
        return ("memory",)
    finally:
        receiving.close()
        if child.is_alive():
            child.kill()
        child.join()


def _refusal(outcome: tuple) -> str | None:
    kind = outcome[0]
    limit = settings.AGREEMENT_MAX_OUTPUT_BYTES
    if kind == "ok" and outcome[1] > limit:
        return (
            f"The template makes an agreement of {filesizeformat(outcome[1])} from the sample "
            f"data; an agreement may be at most {filesizeformat(limit)}. Remove what repeats "
            "or enlarges text, and upload it again."
        )
    if kind == "template":
        where = f" (line {outcome[2]})" if outcome[2] else ""
        return f"The template does not render: {outcome[1]}{where}."
    if kind == "slow":
        return (
            f"The template takes longer than {outcome[1]:g} seconds to render the sample "
            "agreement, so it was stopped. Remove loops that repeat many times, and upload it "
            "again."
        )
    if kind == "memory":
        return (
            "The template needs more memory than an agreement may use to render the sample "
            "agreement. Remove what repeats or enlarges text, and upload it again."
        )
    if kind == "damaged":
        return f"The template could not be read as a Word document: {outcome[1]}"
    return None


def check_template(template_bytes: bytes) -> None:
    """Raise TemplateRejected, saying why, unless the bytes are a DOCX template that renders
    the sample agreement within the bounds of time, memory and size."""
    if not zipfile.is_zipfile(io.BytesIO(template_bytes)):
        raise TemplateRejected("This file is not a Word document (.docx).")
    try:
        with zipfile.ZipFile(io.BytesIO(template_bytes)) as archive:
            if "word/document.xml" not in archive.namelist():
                raise TemplateRejected("This file is not a Word document (.docx).")
    except zipfile.BadZipFile as exc:
        raise TemplateRejected("This file is not a Word document (.docx).") from exc
    refusal = _refusal(_render_bounded(template_bytes, sample_context()))
    if refusal:
        raise TemplateRejected(refusal)


@dataclass(frozen=True)
class _Heading:
    text: str
    level: int = 1


def _table(document, headers: list[str], loop: str, cells: list[str]) -> None:
    """Add a table whose middle row repeats for each item (docxtpl's {%tr %} rows)."""
    table = document.add_table(rows=4, cols=len(headers))
    table.style = "Table Grid"
    for index, header in enumerate(headers):
        table.rows[0].cells[index].text = header
    table.rows[1].cells[0].text = f"{{%tr for item in {loop} %}}"
    for index, cell in enumerate(cells):
        table.rows[2].cells[index].text = cell
    table.rows[3].cells[0].text = "{%tr endfor %}"


@lru_cache(maxsize=1)
def default_template_bytes() -> bytes:
    """Return the built-in agreement template, generated with python-docx (used until the
    administrative agent uploads a version of their own)."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = Document()
    title = document.add_heading("Agreement for Advice and Assistance", level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph(
        "California Collaborative for Educational Excellence — Request for Assistance "
        "{{ reference }} — scope of work version {{ version }}"
    )
    sections = [
        _Heading("1. Parties"),
        "{{ lea.legal_name }} ({{ lea.type }}, {{ lea.county }} County), CDS code "
        "{{ lea.cds_code }}; contact: {{ lea_contact }}.",
        *_when(
            "signatory.line",
            "Authorised signatory for {{ lea.legal_name }}: {{ signatory.line }}"
            "{% if signatory.email %} ({{ signatory.email }}){% endif %}.",
        ),
        "The California Collaborative for Educational Excellence (CCEE).",
        "Administrative agent: {{ agent_name }}.",
        _Heading("2. Background"),
        *_each("background_paragraphs"),
        _Heading("3. Statutory basis"),
        *_each("statutory_basis"),
        *_when("systemic_review", "Systemic review: {{ systemic_review }}"),
        _Heading("4. Problem of practice"),
        *_each("problem_paragraphs"),
        _Heading("5. Theory of action"),
        *_when("theory_of_action", "{{ theory_of_action }}"),
        _Heading("6. Goals and measurable indicators"),
        *_each("goals_lines"),
        "Indicators:",
        *_each("indicators_lines"),
        _Heading("7. Assistance method and provider"),
        "{{ assistance_method }}, provided by {{ provider }}.",
        "Term: {{ term_start }} to {{ term_end }}.{% if term_reason %} {{ term_reason }}"
        "{% endif %}",
        *_when("schools", "Schools in scope:"),
        *_each("schools"),
        _Heading("8. Activities"),
    ]
    _write(document, sections)
    _table(
        document,
        ["Activity", "What it involves", "Dates", "Led by"],
        "activities",
        [
            "{{ item.title }}",
            "{{ item.description }}",
            "{{ item.dates }}",
            "{{ item.responsible }}",
        ],
    )
    document.add_heading("9. Deliverables", level=1)
    _table(
        document,
        ["Deliverable", "Due", "Indicator"],
        "deliverables",
        ["{{ item.title }}", "{{ item.due }}", "{{ item.indicator }}"],
    )
    _write(
        document,
        [
            _Heading("10. Roles and responsibilities"),
            *_each("roles_lines"),
            _Heading("11. Costs"),
            "Cost basis: {{ cost_basis }}."
            "{% if no_cost_to_lea %} There is no cost to the LEA.{% endif %}",
            *_when("cost_sharing_parties", "Cost-sharing parties: {{ cost_sharing_parties }}."),
            *_each("funding_terms_lines"),
        ],
    )
    _table(
        document,
        ["Item", "Quantity", "Unit cost", "Amount", "Paid by"],
        "cost_lines",
        [
            "{{ item.description }}",
            "{{ item.quantity }}",
            "{{ item.unit_cost }}",
            "{{ item.amount }}",
            "{{ item.paid_by }}",
        ],
    )
    document.add_paragraph("Total: {{ total }}")
    _write(
        document,
        [
            _Heading("12. Signatures"),
            "For {{ lea.legal_name }}: ______________________  Date: __________",
            *_when("signatory.line", "{{ signatory.line }}"),
            "For CCEE: ______________________  Date: __________",
            "For {{ agent_name }}: ______________________  Date: __________",
        ],
    )
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _each(name: str) -> list[str]:
    """Paragraphs repeating one paragraph per item of a list; none at all when it is empty."""
    return [f"{{%p for line in {name} %}}", "{{ line }}", "{%p endfor %}"]


def _when(name: str, text: str) -> list[str]:
    """A paragraph that is there only when `name` has a value (no empty paragraph otherwise)."""
    return [f"{{%p if {name} %}}", text, "{%p endif %}"]


def _write(document, items) -> None:
    for item in items:
        if isinstance(item, _Heading):
            document.add_heading(item.text, level=item.level)
        else:
            document.add_paragraph(item)
