"""The stuck-notice sweep, run by Celery beat every NOTICE_SWEEP_SECONDS.

Notices still pending a while after they were last handed to Celery (a broker that was down, a
worker that died) are handed over again, in a fixed number of queries. Each app keeps its own
clocks (requests_intake's 24/48-hour verification sweep, contracts' due dates) as tasks of its own.
"""

from dataclasses import asdict, dataclass
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from .models import Notice
from .services import enqueue_delivery


@dataclass
class SweepResult:
    reenqueued: int = 0

    def as_dict(self) -> dict:
        return asdict(self)


def notice_sweep(*, now=None) -> SweepResult:
    """Hand notices stuck pending to Celery again; say how many."""
    now = now or timezone.now()
    stuck_after = timedelta(seconds=settings.NOTICE_STUCK_AFTER_SECONDS)
    stuck = list(
        Notice.objects.stuck(now=now, older_than=stuck_after)
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[: settings.NOTICE_SWEEP_BATCH]
    )
    return SweepResult(reenqueued=enqueue_delivery(ids=stuck) if stuck else 0)


@shared_task(acks_late=True)
def notice_sweep_task() -> dict:
    """Hand stuck notices to Celery again (every NOTICE_SWEEP_SECONDS, from beat)."""
    return notice_sweep().as_dict()
