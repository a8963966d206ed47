"""What the reporting tests share: an engagement under way, records with their totals."""

from engagements.models import Engagement
from reporting.totals import refresh_totals
from tests.factories import SupportRecordFactory, approved_request


def engagement_for(*, reviewer, activated_on, ended_on=None, **request_kwargs):
    """Return an engagement of an approved request, under way from `activated_on`."""
    req = approved_request(reviewer=reviewer, **request_kwargs)
    return Engagement.objects.create(
        request=req,
        agreement=req.scope_of_work,
        status=Engagement.Status.COMPLETED if ended_on else Engagement.Status.ACTIVE,
        method=Engagement.Method.SUCCESS_COACH,
        start_date=activated_on,
        end_date=ended_on or activated_on.replace(year=activated_on.year + 1),
        activated_on=activated_on,
        ended_on=ended_on,
    )


def records(*specs, fiscal_year=2027):
    """Create support records from (lea, initiative, quarter, kind) and recount the year."""
    made = [
        SupportRecordFactory(lea=lea, initiative=initiative, quarter=quarter, kind=kind,
                             fiscal_year=fiscal_year)
        for lea, initiative, quarter, kind in specs
    ]  # fmt: skip
    refresh_totals(fiscal_year)
    return made
