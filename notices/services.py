"""Write outbox rows and hand them to Celery; put failed ones back. The outbox's writes.

A notice is a row written in the transaction of the event that causes it; delivery is enqueued
on commit (notices.tasks.deliver_notice_task), and the sweep (notices.sweep) re-enqueues rows
still pending, so a broker outage delays a notice and never loses it.
"""

import hashlib
import logging
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import broker, registry
from .attachments import store_attachment
from .models import Notice, NoticeAttachment
from .recipients import Recipient
from .rendering import render_notice
from .tasks import deliver_notices_task

logger = logging.getLogger(__name__)


def event_key(kind: str, subject_id, event: str) -> str:
    """Return the part of an outbox key that names the event (kind, request or "-", occurrence)."""
    return f"{kind}:{subject_id if subject_id is not None else '-'}:{event}"


def notice_key(kind: str, req, event: str, email: str) -> str:
    """Return the outbox key of one event's notice to one person: unique in the table."""
    return f"{event_key(kind, getattr(req, 'pk', None), event)}:{email}"[:200]


def events_notified(*, kinds, request_ids) -> set[str]:
    """Return the event keys of these kinds and requests that have outbox rows already."""
    keys = Notice.objects.filter(kind__in=kinds, request_id__in=request_ids).values_list(
        "key", flat=True
    )
    return {key.rsplit(":", 1)[0] for key in keys}


def build_notices(
    *, kind: str, req=None, recipients: list[Recipient], event: str, context=None
) -> list[Notice]:
    """Return unsaved outbox rows, one per distinct recipient, rendered from the templates.

    `req` is the request the notice is about (None for a person's account notices).
    """
    registry.get(kind)  # an unregistered kind is refused before anything is rendered
    context = context or {}
    now = timezone.now()
    rows = []
    seen = set()
    for recipient in recipients:
        if not recipient.email or recipient.email in seen:
            continue
        seen.add(recipient.email)
        subject, text, html = render_notice(
            kind, recipient=recipient, context=context, subject_of=req
        )
        rows.append(
            Notice(
                key=notice_key(kind, req, event, recipient.email),
                kind=kind,
                request=req,
                recipient_email=recipient.email,
                recipient=recipient.user,
                subject=subject,
                body_text=text,
                body_html=html,
                created_at=now,
            )
        )
    return rows


def save_notices(rows: list[Notice]) -> list[str]:
    """Insert outbox rows (a key already there is skipped) and deliver on commit; return keys."""
    if not rows:
        return []
    Notice.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    keys = [row.key for row in rows]
    deliver_on_commit(keys)
    return keys


class _CommitBatch:
    """The notices one transaction wrote: handed to Celery together, in one publish, on commit."""

    def __init__(self):
        self.keys: list[str] = []
        self.done = False

    def __call__(self):
        self.done = True
        enqueue_delivery(keys=self.keys)


def deliver_on_commit(keys: list[str]) -> None:
    """Deliver these notices when the transaction commits, with the rest of its notices."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        enqueue_delivery(keys=keys)
        return
    batch = getattr(connection, "_notice_commit_batch", None)
    # The batch still waits for this transaction's commit unless a rollback discarded it (or
    # it ran already: a test's captured on-commit callbacks run without a commit).
    waiting = batch is not None and not batch.done
    if not waiting or not any(func is batch for _, func, _ in connection.run_on_commit):
        batch = connection._notice_commit_batch = _CommitBatch()
        transaction.on_commit(batch)
    batch.keys.extend(keys)


def queue_notices(
    *, kind: str, req=None, recipients: list[Recipient], event: str, context=None, attachments=()
) -> int:
    """Write one outbox row per recipient for this event (never twice) and deliver on commit.

    `event` names the occurrence (a status change's id, "reminder", …): with the kind, request
    and recipient it forms the row's unique key, so repeating an event queues nothing new.
    `attachments` are (filename, content type, bytes) or MadeAtSending, stored once and
    attached to each new row, so that a redelivery sends the same bytes (attach_files). Return
    how many rows were new.
    """
    return queue_notice_groups(
        [
            {
                "kind": kind,
                "req": req,
                "recipients": recipients,
                "event": event,
                "context": context,
                "attachments": attachments,
            }
        ]
    )


def queue_notice_groups(groups: list[dict]) -> int:
    """Queue several events' notices at once: queue_notices' arguments, one dict per group.

    What queue_notices does for each group, in the fewest statements: one read of the keys
    there already, one insert of the new rows, one insert of all their attachments (an event's
    receipt to the LEA and alert to CCEE, written together by the submission). Return how many
    rows were new.
    """
    built = [(build_notices(**_build_arguments(group)), group) for group in groups]
    keys = [row.key for rows, _group in built for row in rows]
    # A key there already, or met in an earlier group, is not written again.
    seen = set(Notice.objects.filter(key__in=keys).values_list("key", flat=True))
    new = []
    for rows, group in built:
        fresh = [row for row in rows if row.key not in seen]
        seen.update(row.key for row in fresh)
        new.append((fresh, group))
    new_rows = [row for rows, _group in new for row in rows]
    if not new_rows:
        return 0
    attached = [(rows, group["attachments"]) for rows, group in new if group.get("attachments")]
    attached = [(rows, attachments) for rows, attachments in attached if rows]
    if attached:
        # The rows' ids come back from the insert itself (a key written meanwhile by another
        # transaction comes back too, as attach_files(keys=…) finds it).
        Notice.objects.bulk_create(
            new_rows,
            update_conflicts=True,
            unique_fields=["key"],
            update_fields=["key"],
            batch_size=500,
        )
    else:
        Notice.objects.bulk_create(new_rows, ignore_conflicts=True, batch_size=500)
    deliver_on_commit([row.key for row in new_rows])
    attachment_rows = []
    for rows, attachments in attached:
        attachment_rows += _attachment_rows([row.pk for row in rows], attachments)
    NoticeAttachment.objects.bulk_create(attachment_rows)
    return len(new_rows)


def _build_arguments(group: dict) -> dict:
    return {k: v for k, v in group.items() if k != "attachments"}


@dataclass(frozen=True)
class MadeAtSending:
    """An attachment made when the notice is first sent, by a registered maker.

    Queued instead of the file's bytes when making them is slow (a PDF): the event's
    transaction stores only what the file will be, and the worker makes it once
    (notices.delivery.make_attachments).
    """

    maker: str
    filename: str
    content_type: str


def attach_files(*, keys, attachments) -> None:
    """Attach each file to the notices `keys`: stored once for all of them.

    An attachment is (filename, content type, bytes), stored now, or a MadeAtSending, made at
    the first delivery of one of these notices and then shared by all of them.
    """
    notice_ids = list(Notice.objects.filter(key__in=keys).values_list("pk", flat=True))
    NoticeAttachment.objects.bulk_create(_attachment_rows(notice_ids, attachments))


def _attachment_rows(notice_ids, attachments) -> list[NoticeAttachment]:
    """Return the unsaved attachment rows of each file for each of the notices."""
    rows = []
    for attachment in attachments:
        if isinstance(attachment, MadeAtSending):
            registry.attachment_maker(attachment.maker)  # an unknown maker is refused now
            group = secrets.token_hex(16)
            rows += [
                NoticeAttachment(
                    notice_id=notice_id,
                    filename=attachment.filename,
                    content_type=attachment.content_type,
                    maker=attachment.maker,
                    group=group,
                )
                for notice_id in notice_ids
            ]
            continue
        filename, content_type, content = attachment
        stored = store_attachment(content)
        rows += [
            NoticeAttachment(
                notice_id=notice_id,
                filename=filename,
                content_type=content_type,
                file=stored,
                size=len(content),
                sha256=hashlib.sha256(content).hexdigest(),
            )
            for notice_id in notice_ids
        ]
    return rows


def enqueue_delivery(*, keys=None, ids=None) -> int:
    """Hand pending notices to Celery in one publish; return how many were handed over.

    Called after commit. The ids travel in one message per NOTICE_PUBLISH_BATCH notices (one
    for a transaction's notices). A broker that is down or hung fails fast (notices.broker)
    and leaves the rows pending with their old last_enqueued_at, for the sweep to hand over.
    """
    qs = Notice.objects.pending()
    qs = qs.filter(key__in=keys) if keys is not None else qs.filter(pk__in=ids)
    notice_ids = list(qs.order_by("pk").values_list("pk", flat=True))
    if not notice_ids:
        return 0
    size = settings.NOTICE_PUBLISH_BATCH
    batches = [notice_ids[i : i + size] for i in range(0, len(notice_ids), size)]
    if not broker.publish_batches(deliver_notices_task, batches):
        return 0
    if keys is None:
        # A hand-over again (the sweep, a resend) is stamped, so the sweep waits from it. The
        # first, on commit, of rows just written is not: for them the sweep counts from
        # created_at (Notice.objects.stuck), which is the same moment give or take the commit,
        # and the submission saves a write of its rows after commit.
        Notice.objects.pending().filter(pk__in=notice_ids).update(last_enqueued_at=timezone.now())
    return len(notice_ids)


def notice_resend(*, notice_ids, by) -> tuple[int, int]:
    """Put failed (and stuck pending) notices back in the outbox and deliver them on commit.

    Return (how many were put back, how many were left alone because they were sent already).
    """
    notice_ids = list(notice_ids)
    if not by.has_perm("notices.resend_notice"):
        raise PermissionError("Only CCEE leads can resend notices.")
    with transaction.atomic():
        rows = list(
            Notice.objects.select_for_update()
            .filter(pk__in=notice_ids)
            .exclude(status=Notice.Status.SENT)
            .values_list("pk", flat=True)
        )
        Notice.objects.filter(pk__in=rows).update(
            status=Notice.Status.PENDING,
            attempts=0,
            next_attempt_at=None,
            last_enqueued_at=None,
            attempt_started_at=None,
        )
        transaction.on_commit(lambda: enqueue_delivery(ids=rows))
    logger.info("%s resent notices %s", by, rows)
    return len(rows), len(set(notice_ids)) - len(rows)
