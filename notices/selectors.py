"""Reads of the outbox that other apps ask for."""

from .models import Notice


def notice_queued_since(*, kind: str, email: str, since) -> bool:
    """Return whether a notice of this kind was queued for this address at or after `since`."""
    return Notice.objects.filter(
        kind=kind, recipient_email=email.lower(), created_at__gte=since
    ).exists()
