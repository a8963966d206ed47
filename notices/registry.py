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
