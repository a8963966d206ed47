"""The kinds of notice the portal sends: each app registers its own from its AppConfig.ready().

The outbox stores a kind as a plain string; this registry says what it means (its label in the
admin), how its subject reads and where its templates are, so the notices app never imports the
apps it serves.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class NoticeKind:
    """One kind of notice: its stored value, its label, its subject and its templates."""

    value: str
    label: str
    # Filled from the notice's context with str.format_map ("{ref}" needs a "ref" in it).
    subject: str
    # The body is "<templates>/<value>.txt" and ".html", else "<fallback>.txt" and ".html".
    templates: str
    fallback: str | None = None
    # The message around the body ("<layout>.txt" and ".html"), which includes it.
    layout: str = "notices/notice"
    # The registering app's own context for one notice: (subject of the notice or None, recipient)
    # -> dict. What the caller passes is applied over it.
    context: Callable[[object, object], dict] | None = None
    # A notice that carries a personal link (verification, password reset): the admin shows
    # everything about it but its body.
    confidential: bool = False


_KINDS: dict[str, NoticeKind] = {}


def register(*kinds: NoticeKind) -> None:
    """Register kinds; registering the same kind again is harmless, a different one is refused."""
    for kind in kinds:
        known = _KINDS.get(kind.value)
        if known is not None and known != kind:
            raise ValueError(f"Notice kind {kind.value!r} is registered already, differently.")
        _KINDS[kind.value] = kind


def get(value: str) -> NoticeKind:
    """Return the registered kind, or raise LookupError naming it."""
    try:
        return _KINDS[value]
    except KeyError:
        raise LookupError(f"No notice kind {value!r} is registered.") from None


def find(value: str) -> NoticeKind | None:
    """Return the registered kind, or None when no app registers it (any more)."""
    return _KINDS.get(value)


def label(value: str) -> str:
    """Return the kind's label, or the stored value itself when no app registers it (any more)."""
    kind = _KINDS.get(value)
    return str(kind.label) if kind is not None else value


def choices() -> list[tuple[str, str]]:
    """Return (value, label) of every registered kind, by label."""
    return sorted(((k.value, str(k.label)) for k in _KINDS.values()), key=lambda c: c[1])


@dataclass(frozen=True)
class AttachmentMaker:
    """A file a notice carries that is made when the notice is first sent, not when it is queued.

    `make(notice)` returns the file's bytes (the receipt's PDF copy of its request); it runs in
    the worker at the first delivery of one of the event's notices, and what it makes is stored
    once for all of them, so a retry or a redelivery sends the same bytes. When it raises,
    `unavailable(notice)` returns the sentence the email carries instead (where the file can be
    had); the next attempt, if any, tries to make it again.
    """

    name: str
    make: Callable[[object], bytes]
    unavailable: Callable[[object], str]


_MAKERS: dict[str, AttachmentMaker] = {}


def register_attachment_maker(maker: AttachmentMaker) -> None:
    """Register a maker of attachments; the same name registered differently is refused."""
    known = _MAKERS.get(maker.name)
    if known is not None and known != maker:
        raise ValueError(f"Attachment maker {maker.name!r} is registered already, differently.")
    _MAKERS[maker.name] = maker


def attachment_maker(name: str) -> AttachmentMaker:
    """Return the registered maker, or raise LookupError naming it."""
    try:
        return _MAKERS[name]
    except KeyError:
        raise LookupError(f"No attachment maker {name!r} is registered.") from None
