"""The outbox: a notice is a row written in the transaction of the event that causes it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import registry


class NoticeQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=Notice.Status.PENDING)

    def stuck(self, *, now, older_than):
        """Return pending notices nobody handed to Celery within `older_than` (nor retries now)."""
        cutoff = now - older_than
        return self.pending().filter(
            Q(created_at__lte=cutoff),
            Q(last_enqueued_at__isnull=True) | Q(last_enqueued_at__lte=cutoff),
            Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
        )


class NoticeStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Notice(models.Model):
    """An outbox row: written with the event that causes it, then delivered by Celery."""

    Status = NoticeStatus

    # The event and recipient this notice is for; unique, so an event notifies a person once.
    key = models.CharField(max_length=200, unique=True)
    # A kind some app registers (notices.registry); the apps keep their own constants.
    kind = models.CharField(max_length=40)
    # The request the notice is about; none for a person's own account notices.
    request = models.ForeignKey(
        "requests_intake.AssistanceRequest",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notices",
    )
    recipient_email = models.EmailField()
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject = models.CharField(max_length=250)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_enqueued_at = models.DateTimeField(null=True, blank=True)
    # When a retry after a mail-server error is due; the sweep leaves the row alone until then.
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # When the attempt under way began: committed before the mail server is spoken to, cleared
    # when the attempt ends (sent, refused, failed). Found set by the next attempt, it means the
    # last one died mid-way, perhaps after the server accepted the email.
    attempt_started_at = models.DateTimeField(null=True, blank=True)
    # An earlier attempt ended without an outcome: the recipient may have this email twice.
    possible_duplicate = models.BooleanField(default=False)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        permissions = [("resend_notice", "Can resend a failed notice")]
        indexes = [
            models.Index(fields=["status", "created_at"], name="notice_status_created_idx"),
            models.Index(fields=["request", "kind"], name="notice_request_kind_idx"),
            models.Index(fields=["recipient_email", "kind"], name="notice_recipient_kind_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=NoticeStatus.values), name="notice_status_valid"
            ),
        ]

    def __str__(self):
        return f"{self.kind_label} to {self.recipient_email}"

    @property
    def kind_label(self) -> str:
        return registry.label(self.kind)


class NoticeAttachment(models.Model):
    """A file sent with a notice, stored with it, so that every delivery sends the same bytes.

    The file lives in the private storage (never served); one stored file may be attached to
    every notice of one event (the receipt's copy of the request, to each of its contacts).
    """

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    # Empty until made, for a file made at the first delivery (`maker`).
    file = models.FileField(upload_to="notices/%Y/%m/", max_length=300, blank=True)
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    # A file made when the notice is first sent: the registered maker (notices.registry
    # .AttachmentMaker) and the token shared by the rows of one event, which get the one file.
    maker = models.CharField(max_length=80, blank=True)
    group = models.CharField(max_length=32, blank=True, db_index=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"{self.filename} with {self.notice}"

    @property
    def is_made(self) -> bool:
        return bool(self.file)
