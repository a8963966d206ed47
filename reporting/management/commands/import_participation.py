"""python manage.py import_participation FILE: initiatives' participation (CSV or XLSX)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reporting.imports import ImportRefused, participation_import


class Command(BaseCommand):
    help = (
        "Import support records from a CSV or XLSX file (CDS code or LEA name, Initiative, Date, "
        "Kind, Activity) in one transaction; a bad file is refused by line and nothing changes."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path, **options):
        file_path = Path(path)
        if not file_path.is_file():
            raise CommandError(f"{path}: no such file.")

        def progress(rows):
            if options["verbosity"] >= 1:
                self.stderr.write(f"  … {rows:,} rows checked")

        try:
            result = participation_import(
                content=file_path.read_bytes(), file_name=file_path.name, progress=progress
            )
        except ImportRefused as refused:
            lines = [
                f"  line {line}: {text}" if line else f"  {text}" for line, text in refused.problems
            ]
            raise CommandError(
                f"{path}: {len(refused.problems)} problem(s); nothing was imported.\n"
                + "\n".join(lines)
            ) from None
        years = ", ".join(str(y) for y in result.years)
        self.stdout.write(
            f"{result.rows} rows: {result.created} records created, {result.updated} updated, "
            f"{result.unchanged} unchanged (fiscal years {years})."
        )
