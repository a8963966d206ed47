"""Writes of the state's data: one reporting year of the LCFF Assistance Status file at a time."""

from django.db import transaction

from .assistance_status import ParsedFile
from .models import AssistanceStatusRecord


@transaction.atomic
def assistance_status_replace_year(*, parsed: ParsedFile) -> tuple[int, int]:
    """Replace the stored rows of ``parsed.year`` with the file's; return (replaced, stored)."""
    replaced, _ = AssistanceStatusRecord.objects.filter(reporting_year=parsed.year).delete()
    AssistanceStatusRecord.objects.bulk_create(
        [
            AssistanceStatusRecord(
                cds_code=cds,
                reporting_year=parsed.year,
                lea_name=row["lea_name"],
                county_name=row["county_name"],
                subgroups=row["subgroups"],
            )
            for cds, row in parsed.rows.items()
        ],
        batch_size=1000,
    )
    return replaced, len(parsed.rows)
