# The Notice model moves to the notices app with its table and rows: here it leaves the state
# only; notices 0001 takes it over and notices 0002 renames the table.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("requests_intake", "0002_notice_retry_schedule"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Notice")],
            database_operations=[],
        ),
    ]
