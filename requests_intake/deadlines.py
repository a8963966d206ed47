"""The request's clocks, each computed in one place: 48 clock hours from receipt to verification."""

from datetime import timedelta

# The initial verification is due this long after receipt ("within 48 hours of receipt").
VERIFICATION_WINDOW = timedelta(hours=48)
REMINDER_AFTER = timedelta(hours=24)


def verification_due_at(received_at):
    """Return when the initial verification is due: 48 clock hours after receipt."""
    return received_at + VERIFICATION_WINDOW


def verification_reminder_due_cutoff(now):
    """Return the latest receipt time whose 24-hour reminder is due at `now`."""
    return now - REMINDER_AFTER
