"""Import one reporting year of CDE's LCFF Assistance Status file, in one transaction."""

from django.core.management.base import BaseCommand
from django.db import transaction

from eligibility.assistance_status import AssistanceStatusError, decode, parse_file
from eligibility.services import assistance_status_replace_year
from requests_intake.models import LocalEducationalAgency
from requests_intake.state_files import read_state_file

# How many unknown CDS codes the report names; the rest are counted.
UNKNOWN_LISTED = 10


class Command(BaseCommand):
    help = (
        "Import CDE's LCFF Assistance Status file (one row per LEA; the year is the file's "
        "ReportingYear). Re-importing a year replaces it; a malformed file changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the LCFF Assistance Status file (tab or comma separated)")

    def handle(self, *args, path, **options):
        verbosity = options["verbosity"]
        parsed = read_state_file(
            self,
            path,
            decode=decode,
            parse=parse_file,
            errors=AssistanceStatusError,
            verbosity=verbosity,
        )

        with transaction.atomic():
            replaced, stored = assistance_status_replace_year(parsed=parsed)
            known = set(
                LocalEducationalAgency.objects.filter(cds_code__in=parsed.rows).values_list(
                    "cds_code", flat=True
                )
            )
        unknown = sorted(set(parsed.rows) - known)

        if verbosity >= 1:
            self.stdout.write(
                f"{parsed.year}: {stored:,} rows stored, {replaced:,} rows of that year replaced, "
                f"{len(unknown):,} CDS codes not in the LEA directory."
            )
            for cds in unknown[:UNKNOWN_LISTED]:
                self.stdout.write(f"  unknown CDS {cds}: {parsed.rows[cds]['lea_name']}")
            if len(unknown) > UNKNOWN_LISTED:
                self.stdout.write(f"  … and {len(unknown) - UNKNOWN_LISTED:,} more")
