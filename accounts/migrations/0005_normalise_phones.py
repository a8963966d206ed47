"""Store the phone numbers people gave before the US check in its one form.

A valid US number becomes "(510) 555-0142"; any other old value stays exactly as it was, so
this never fails on old data.
"""

from django.db import migrations

from core.phone import normalised_or_unchanged


def normalise(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    changed = []
    for user in User.objects.exclude(phone="").only("pk", "phone").iterator(chunk_size=2000):
        value = normalised_or_unchanged(user.phone)
        if value != user.phone:
            user.phone = value
            changed.append(user)
    User.objects.bulk_update(changed, ["phone"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_merge_header_values_and_mfa")]

    operations = [migrations.RunPython(normalise, migrations.RunPython.noop, elidable=True)]
