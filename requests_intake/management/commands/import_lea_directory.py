"""Import (upsert) LEAs from the CDE public school directory export, in one transaction."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from requests_intake.directory import FIELDS, DirectoryError, decode, parse_directory
from requests_intake.models import LocalEducationalAgency


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
        file_path = Path(path)
        if not file_path.is_file():
            raise CommandError(f"{path}: no such file.")

        def progress(rows):
            if verbosity >= 1:
                self.stderr.write(f"  … {rows:,} rows read")

        try:
            parsed = parse_directory(decode(file_path.read_bytes()), progress=progress)
        except DirectoryError as error:
            raise CommandError(f"{path}: {error} Nothing was imported.") from None

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

        if verbosity >= 1:
            self.stdout.write(
                f"{parsed.rows:,} rows read: {created:,} created, {updated:,} updated, "
                f"{unchanged:,} unchanged, {sum(parsed.skipped.values()):,} skipped."
            )
            for reason, count in sorted(parsed.skipped.items()):
                self.stdout.write(f"  skipped {count:,}: {reason}")
