# The outbox's table, indexes and permissions take the notices app's names; the rows stay.

from django.db import migrations, models


def move_content_type(apps, schema_editor, source="requests_intake", target="notices"):
    """Relabel the Notice content type, so its permissions (and who holds them) move with it."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    types = ContentType.objects.using(schema_editor.connection.alias)
    if not types.filter(app_label=target, model="notice").exists():
        types.filter(app_label=source, model="notice").update(app_label=target)


def move_content_type_back(apps, schema_editor):
    move_content_type(apps, schema_editor, source="notices", target="requests_intake")


class Migration(migrations.Migration):

    dependencies = [
        ("notices", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterModelTable(name="notice", table=None),
        migrations.RenameIndex(
            model_name="notice",
            new_name="notice_status_created_idx",
            old_name="requests_in_status_7cb23e_idx",
        ),
        migrations.RenameIndex(
            model_name="notice",
            new_name="notice_request_kind_idx",
            old_name="requests_in_request_5d2a99_idx",
        ),
        migrations.AddIndex(
            model_name="notice",
            index=models.Index(fields=["recipient_email", "kind"], name="notice_recipient_kind_idx"),
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
