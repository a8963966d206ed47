# The outbox table that requests_intake created (requests_intake 0001, 0002), taken over as it
# is: the state only, so every existing row stays. 0002 renames the table and its indexes.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("requests_intake", "0003_notice_moves_to_notices"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="Notice",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("key", models.CharField(max_length=200, unique=True)),
                        ("kind", models.CharField(max_length=40)),
                        ("recipient_email", models.EmailField(max_length=254)),
                        ("subject", models.CharField(max_length=250)),
                        ("body_text", models.TextField()),
                        ("body_html", models.TextField(blank=True)),
                        ("status", models.CharField(choices=[("pending", "Pending"), ("sent", "Sent"), ("failed", "Failed")], default="pending", max_length=10)),
                        ("attempts", models.PositiveSmallIntegerField(default=0)),
                        ("last_error", models.TextField(blank=True)),
                        ("created_at", models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                        ("sent_at", models.DateTimeField(blank=True, null=True)),
                        ("last_enqueued_at", models.DateTimeField(blank=True, null=True)),
                        ("next_attempt_at", models.DateTimeField(blank=True, null=True)),
                        ("recipient", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                        ("request", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="notices", to="requests_intake.assistancerequest")),
                    ],
                    options={
                        "db_table": "requests_intake_notice",
                        "ordering": ["-created_at", "-pk"],
                        "permissions": [("resend_notice", "Can resend a failed notice")],
                        "indexes": [
                            models.Index(fields=["status", "created_at"], name="requests_in_status_7cb23e_idx"),
                            models.Index(fields=["request", "kind"], name="requests_in_request_5d2a99_idx"),
                        ],
                        "constraints": [
                            models.CheckConstraint(condition=models.Q(("status__in", ["pending", "sent", "failed"])), name="notice_status_valid"),
                        ],
                    },
                ),
            ],
        ),
    ]
