"""Celery task: the beat sweep that keeps the 48-hour verification clock.

Tasks stay thin: they call requests_intake.sweep. No task is scheduled hours ahead: the sweep
(every NOTICE_SWEEP_SECONDS) finds what is due. Delivery is the notices app's task.
"""

from celery import shared_task

from . import sweep


@shared_task(acks_late=True)
def verification_clock_sweep_task() -> dict:
    """Queue due 24-hour reminders and 48-hour escalations (every NOTICE_SWEEP_SECONDS)."""
    return sweep.verification_clock_sweep().as_dict()
