"""Writes of the reporting app: the portal's own direct support, API tokens."""

import hashlib
import secrets
from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from . import sources
from .models import DTA_CODE, ApiToken, Center, Initiative, SupportKind, SupportRecord
from .totals import refresh_totals

DTA_DEFAULTS = {
    "name": "Direct Technical Assistance / Intensive Assistance Model",
    "center": Center.TSEEO,
    "owner": "Direct Technical Assistance lead",
    "start_date": date(2015, 7, 1),
    "description": "Assistance CCEE provides directly to an LEA under EC 52074 (g): every "
    "request CCEE verifies, and every engagement under way, counts here once per quarter.",
}


def dta_initiative() -> Initiative:
    """Return the initiative the portal's own work counts for (made the first time it is needed)."""
    initiative, _ = Initiative.objects.get_or_create(code=DTA_CODE, defaults=DTA_DEFAULTS)
    return initiative


@transaction.atomic
def portal_support_count(*, today: date | None = None) -> dict:
    """Make the DTA direct-support records match the portal's work; recount the years touched.

    Verified requests and engagements under way each count once per LEA and quarter (see
    sources.portal_direct_support). A quarter an import already recorded for the same LEA is
    left as imported; a portal record whose reason went away (an activation date corrected)
    is removed. Running it again changes nothing.
    """
    dta = dta_initiative()
    wanted = {
        (lea_id, q.fiscal_year, q.quarter) for lea_id, q in sources.portal_direct_support(today)
    }
    ours = SupportRecord.objects.filter(
        initiative=dta, kind=SupportKind.DIRECT, source=SupportRecord.Source.PORTAL
    )
    existing = set(ours.values_list("lea_id", "fiscal_year", "quarter"))
    added, removed = wanted - existing, existing - wanted
    SupportRecord.objects.bulk_create(
        [
            SupportRecord(
                lea_id=lea_id,
                initiative=dta,
                fiscal_year=year,
                quarter=quarter,
                kind=SupportKind.DIRECT,
                source=SupportRecord.Source.PORTAL,
                activity="Verified request or engagement under way",
            )
            for lea_id, year, quarter in sorted(added)
        ],
        ignore_conflicts=True,  # an imported record of the same LEA and quarter already counts
        batch_size=2000,
    )
    if removed:
        gone = Q(pk__in=[])
        for lea_id, year, quarter in removed:
            gone |= Q(lea_id=lea_id, fiscal_year=year, quarter=quarter)
        ours.filter(gone).delete()
    years = sorted({year for _, year, _ in added | removed})
    for year in years:
        refresh_totals(year)
    return {"added": len(added), "removed": len(removed), "years": years}


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def api_token_create(*, user, name: str) -> tuple[ApiToken, str]:
    """Create a read API token for `user`; return it and the secret, which is shown only once."""
    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, key_hash=_hash(secret), prefix=secret[:8])
    return token, secret


def api_token_user(secret: str):
    """Return the active person a live token belongs to, or None; note when it was used."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_hash(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user
