"""Store the primary contacts' phone numbers given before the US check in its one form.

A valid US number becomes "(510) 555-0142"; any other old value stays exactly as it was (the
form asks for a valid number the next time the section is saved), so this never fails.
"""

from django.db import migrations

from core.phone import normalised_or_unchanged


def normalise(apps, schema_editor):
    AssistanceRequest = apps.get_model("requests_intake", "AssistanceRequest")
    rows = AssistanceRequest.objects.exclude(primary_contact_phone="").only(
        "pk", "primary_contact_phone"
    )
    changed = []
    for row in rows.iterator(chunk_size=2000):
        value = normalised_or_unchanged(row.primary_contact_phone)
        if value != row.primary_contact_phone:
            row.primary_contact_phone = value
            changed.append(row)
    AssistanceRequest.objects.bulk_update(changed, ["primary_contact_phone"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("requests_intake", "0011_lea_search_lead_contact_invitations")]

    operations = [migrations.RunPython(normalise, migrations.RunPython.noop, elidable=True)]
