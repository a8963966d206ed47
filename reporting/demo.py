"""Demo data for `make run`: CCEE's named initiatives and a few more, with support records.

The records go through the participation import, as a lead's file would, and the portal's own
work (the demo requests) is counted as Direct Technical Assistance.
"""

import csv
import io
from datetime import date

from django.utils import timezone

from requests_intake.models import LocalEducationalAgency

from .fiscal import FiscalQuarter, fiscal_quarter_of
from .imports import participation_import
from .models import Center, FiscalYear, Initiative, KeyResult, KeyResultArea, KeyResultEntry
from .services import dta_initiative, portal_support_count

DEMO_INITIATIVES = [
    ("cei", "Community Engagement Initiative", Center.III, "Community engagement lead", True),
    ("lasg", "Learning Acceleration System Grant", Center.TLL, "LASG lead", True),
    ("ssos", "Statewide System of Support", Center.III, "System of Support lead", True),
    ("pln", "Professional Learning Networks", Center.TLL, "Networks lead", False),
    ("lcap", "LCAP Planning Resources", Center.TLL, "Resources lead", False),
    ("ela", "Equity Leadership Academy", Center.TSEEO, "Leadership lead", False),
]
DIRECT_DEFINITION = (
    "Direct support: CCEE staff or partners it brokers work with the LEA's own team on its "
    "needs (technical assistance, coaching, facilitated reviews, grant-funded networks the LEA "
    "joins as a member)."
)
INDIRECT_DEFINITION = (
    "Indirect support: the LEA uses CCEE's resources, attends its statewide events or is "
    "reached through the county office or a partner that CCEE supports."
)


def _initiatives(year_start: date) -> dict[str, Initiative]:
    found = {"dta": dta_initiative()}
    for code, name, center, owner, _priority in DEMO_INITIATIVES:
        found[code], _ = Initiative.objects.get_or_create(
            code=code,
            defaults={"name": name, "center": center, "owner": owner, "start_date": year_start},
        )
    return found


def _participation_file(leas, year: int, quarter_now: int) -> bytes:
    """Return a CSV of the year's demo participation, spread over quarters 1 to `quarter_now`."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["CDS code", "Initiative", "Date", "Kind", "Activity"])
    codes = [code for code, *_ in DEMO_INITIATIVES]
    for index, lea in enumerate(leas):
        for offset, code in enumerate(codes):
            if (index + offset) % 3:
                continue
            quarter = FiscalQuarter(year, (index + offset) % quarter_now + 1)
            kind = "direct" if code in ("lasg", "ela") or index % 5 == 0 else "indirect"
            writer.writerow(
                [lea.cds_code, code, quarter.start.isoformat(), kind, "Demo participation"]
            )
    return out.getvalue().encode()


def _key_results(year: int, initiatives, period: FiscalQuarter) -> None:
    M = KeyResult.Measure
    wanted = [
        (KeyResultArea.RESOURCES, "Resources published", M.ENTRIES, None, 12),
        (KeyResultArea.RESOURCES, "People reached by resources", M.REACH, None, 5000),
        (KeyResultArea.ENGAGEMENT, "Statewide events held", KeyResult.Measure.ENTRIES, None, 8),
        (KeyResultArea.ENGAGEMENT, "Event participants", KeyResult.Measure.REACH, None, 1500),
        (KeyResultArea.PARTNERSHIPS, "Partnerships formed", KeyResult.Measure.ENTRIES, None, 6),
        (KeyResultArea.ENGAGEMENT, "LEAs in the Community Engagement Initiative",
         KeyResult.Measure.LEAS, initiatives["cei"], 40),
    ]  # fmt: skip
    for area, name, measure, initiative, target in wanted:
        kr, created = KeyResult.objects.get_or_create(
            fiscal_year=year,
            name=name,
            defaults={"area": area, "measure": measure, "initiative": initiative, "target": target},
        )
        if created and measure != KeyResult.Measure.LEAS:
            KeyResultEntry.objects.bulk_create(
                KeyResultEntry(
                    key_result=kr,
                    date=period.start,
                    title=f"{name}: demo entry {n}",
                    reach=250 * n if measure == KeyResult.Measure.REACH else 0,
                    partner="A county office of education"
                    if area == KeyResultArea.PARTNERSHIPS
                    else "",
                )
                for n in range(1, 4)
            )


def load_reporting_demo() -> str:
    """Create the demo initiatives, this year's goals and key results, and support records."""
    period = fiscal_quarter_of(timezone.localdate())
    year = period.fiscal_year
    initiatives = _initiatives(FiscalQuarter(year - 1, 1).start)
    fiscal_year, _ = FiscalYear.objects.get_or_create(
        year=year,
        defaults={
            "direct_definition": DIRECT_DEFINITION,
            "indirect_definition": INDIRECT_DEFINITION,
        },
    )
    fiscal_year.priority_initiatives.add(
        initiatives["dta"], *(initiatives[c] for c, *rest in DEMO_INITIATIVES if rest[-1])
    )
    _key_results(year, initiatives, period)
    leas = list(LocalEducationalAgency.objects.order_by("cds_code"))
    result = participation_import(
        content=_participation_file(leas, year, period.quarter), file_name="demo-participation.csv"
    )
    counted = portal_support_count()
    return (
        f"{len(initiatives)} initiatives, {result.rows} participation rows "
        f"({result.created} new), {counted['added']} portal support records"
    )
