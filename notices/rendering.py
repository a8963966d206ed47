"""Render a notice from its registered kind: the subject, and text and HTML bodies.

Links are built from SITE_URL when a notice is sent, not when it is queued: the stored subject
and bodies hold SITE_URL_MARK where the portal's address goes, and `at_send` puts the address
of the moment in its place just before the email leaves (notices.delivery).
"""

from django.conf import settings
from django.template.loader import render_to_string, select_template

from . import registry
from .recipients import Recipient

# Where the portal's address goes in a stored notice; replaced by SITE_URL at sending.
SITE_URL_MARK = "[[SITE_URL]]"


def at_send(text: str) -> str:
    """Return a stored subject or body with the portal's current address in its links."""
    return text.replace(SITE_URL_MARK, settings.SITE_URL)


def _marked(text: str) -> str:
    return text.replace(settings.SITE_URL, SITE_URL_MARK) if settings.SITE_URL else text


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
    return _marked(subject), _marked(text), _marked(html)
