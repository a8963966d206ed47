"""Import (upsert) LEAs from the CDE public school directory export, in one transaction."""

from django.core.management.base import BaseCommand
from django.db import transaction

from requests_intake.directory import FIELDS, DirectoryError, decode, parse_directory
from requests_intake.models import LocalEducationalAgency
from requests_intake.schools import schools_store
from requests_intake.state_files import read_state_file


class Command(BaseCommand):
    help = (
        "Import the CDE public school directory export (tab-delimited, one row per CDS code): "
        "create or update districts, county offices and charter schools. A malformed file "
        "changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the directory export, e.g. pubschls.txt")

    def handle(self, *args, path, **options):
        verbosity = options["verbosity"]
        parsed = read_state_file(
            self,
            path,
            decode=decode,
            parse=parse_directory,
            errors=DirectoryError,
            verbosity=verbosity,
        )

        created = updated = unchanged = 0
        with transaction.atomic():
            existing = {
                lea.cds_code: lea
                for lea in LocalEducationalAgency.objects.filter(cds_code__in=parsed.leas.keys())
            }
            to_create, to_update = [], []
            for cds, values in parsed.leas.items():
                lea = existing.get(cds)
                if lea is None:
                    to_create.append(LocalEducationalAgency(cds_code=cds, **values))
                elif any(getattr(lea, name) != values[name] for name in FIELDS):
                    for name in FIELDS:
                        setattr(lea, name, values[name])
                    to_update.append(lea)
                else:
                    unchanged += 1
            LocalEducationalAgency.objects.bulk_create(to_create, batch_size=1000)
            LocalEducationalAgency.objects.bulk_update(to_update, FIELDS, batch_size=1000)
            created, updated = len(to_create), len(to_update)
            schools = schools_store(parsed.schools)

        if verbosity >= 1:
            self.stdout.write(
                f"{parsed.rows:,} rows read: {created:,} created, {updated:,} updated, "
                f"{unchanged:,} unchanged, {sum(parsed.skipped.values()):,} skipped."
            )
            self.stdout.write(
                f"Schools: {schools[0]:,} created, {schools[1]:,} updated, "
                f"{schools[2]:,} unchanged."
            )
            for reason, count in sorted(parsed.skipped.items()):
                self.stdout.write(f"  skipped {count:,}: {reason}")
