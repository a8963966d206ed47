"""Files a notice carries: stored once per event, some made only when the notice is first sent.

A receipt's PDF copy of its request takes a WeasyPrint render (about 0.2 s of CPU): made in the
submission's transaction it would hold up every submitter. It is queued as a MadeAtSending
instead (notices.services) and made here, in the worker, at the first delivery of one of the
event's notices; the file is stored once and given to every row of the event, so a retry or a
redelivery sends the same bytes. A maker that fails never fails the notice: the email goes out
without the file and with the maker's sentence saying where to get it.
"""

import hashlib
import logging
import secrets

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError, transaction
from django.utils import timezone

from . import registry
from .models import Notice, NoticeAttachment

logger = logging.getLogger(__name__)


def store_attachment(content: bytes) -> str:
    """Store an attachment's bytes in the private storage; return the stored name."""
    return default_storage.save(
        f"notices/{timezone.now():%Y/%m}/{secrets.token_hex(16)}.bin", ContentFile(content)
    )


def _make_group(notice: Notice, group: str) -> str | None:
    """Make the file of one event's attachment rows unless made; return a sentence if it fails.

    The event's rows are locked while the file is made, so the event's other notices, sent at
    the same moment by another worker, wait and then find it made.
    """
    with transaction.atomic():
        rows = list(NoticeAttachment.objects.select_for_update().filter(group=group))
        made = next((row for row in rows if row.is_made), None)
        if made is None:
            maker = registry.attachment_maker(rows[0].maker)
            try:
                with transaction.atomic():
                    content = maker.make(notice)
            except DatabaseError:
                raise  # the task retries it
            except Exception:  # noqa: BLE001 - any fault of the maker: send without the file
                logger.exception("Attachment %s of notice %s not made", maker.name, notice.pk)
                return maker.unavailable(notice)
            made = NoticeAttachment(
                file=store_attachment(content),
                size=len(content),
                sha256=hashlib.sha256(content).hexdigest(),
            )
        NoticeAttachment.objects.filter(group=group, file="").update(
            file=made.file.name, size=made.size, sha256=made.sha256
        )
    return None


def make_attachments(notice_id: int) -> list[str]:
    """Make a pending notice's files not made yet; return sentences for those that failed.

    Called before the attempt is counted: a database error here retries the task with nothing
    counted, so it never flags the notice as a possible duplicate.
    """
    notice = Notice.objects.pending().filter(pk=notice_id).select_related("request").first()
    if notice is None:
        return []
    groups = (
        NoticeAttachment.objects.filter(notice=notice, file="")
        .exclude(maker="")
        .values_list("group", flat=True)
        .distinct()
    )
    return [note for group in list(groups) if (note := _make_group(notice, group))]
