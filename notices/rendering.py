"""Render a notice from its registered kind: the subject, and text and HTML bodies."""

from django.conf import settings
from django.template.loader import render_to_string, select_template

from . import registry
from .recipients import Recipient


def _body(kind: registry.NoticeKind, ext: str) -> str:
    names = [f"{kind.templates}/{kind.value}.{ext}"]
    if kind.fallback:
        names.append(f"{kind.fallback}.{ext}")
    return select_template(names).template.name


def render_notice(kind: str, *, recipient: Recipient, context: dict, subject_of=None):
    """Return (subject, text, html) for one notice of a registered kind.

    `subject_of` is what the notice is about (a request), handed to the kind's own context.
    """
    registered = registry.get(kind)
    ctx = {
        "kind": kind,
        "recipient": recipient,
        "site_url": settings.SITE_URL,
        "is_staff_recipient": recipient.audience == "staff",
    }
    if registered.context is not None:
        ctx.update(registered.context(subject_of, recipient))
    ctx.update(context)
    ctx["body_template"] = _body(registered, "txt")
    ctx["html_body_template"] = _body(registered, "html")
    subject = registered.subject.format_map(ctx)
    text = render_to_string(f"{registered.layout}.txt", ctx)
    html = render_to_string(f"{registered.layout}.html", ctx)
    return subject, text, html
