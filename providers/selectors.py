"""Reads the registry's pages need, in a fixed number of queries whatever their rows."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404

from engagements.models import Engagement

from . import permissions as perms
from .models import Provider, ProviderAssignment, ProviderChange


def assigned_engagement_ids(user):
    """Return the ids of the engagements the person's providers are actively assigned to.

    engagements.selectors.PARTICIPANT_ENGAGEMENTS holds it (providers.apps).
    """
    if not (user.is_authenticated and user.has_perm(perms.WORK)):
        return ProviderAssignment.objects.none().values("engagement_id")
    return (
        ProviderAssignment.objects.of_user(user)
        .filter(engagement__isnull=False)
        .values("engagement_id")
    )


def provider_get_for_member(user, pk: int) -> Provider:
    """Return the provider if the person signs in for it (or is CCEE staff), else raise 404."""
    provider = Provider.objects.select_related("lea").filter(pk=pk).first()
    if provider is None:
        raise Http404
    if perms.is_registry_staff(user) or perms.is_member(user, provider):
        return provider
    raise Http404


def _assignment_prefetch():
    return Prefetch(
        "assignments",
        queryset=ProviderAssignment.objects.active()
        .select_related(
            "engagement__request__lea", "scope_of_work__request__lea", "engagement__agreement"
        )
        .order_by("-assigned_at"),
        to_attr="active_assignments",
    )


def member_providers(user) -> list[Provider]:
    """Return the person's providers, each with its active assignments (`active_assignments`)."""
    return list(
        Provider.objects.of_member(user)
        .select_related("lea")
        .prefetch_related(_assignment_prefetch())
        .order_by("name")
    )


def profile_page(provider: Provider) -> dict:
    """What a provider's own profile page shows: never its vetting notes."""
    return {
        "provider": provider,
        "conflicts": list(provider.conflicts.select_related("lea")),
        "history": list(ProviderChange.objects.filter(provider=provider).select_related("by")),
        "members": list(provider.members.select_related("user")),
    }


def directory():
    """Return the providers on the public directory (approved, listed and consenting)."""
    return Provider.objects.publicly_listed().select_related("lea").order_by("kind", "name")


def record_of_success(provider: Provider) -> list[dict]:
    """Return the provider's completed engagements, each indicator's outcome against its target.

    Two queries whatever the number of engagements and indicators.
    """
    engagements = (
        Engagement.objects.filter(
            provider_assignments__provider=provider, status=Engagement.Status.COMPLETED
        )
        .select_related("request__lea")
        .prefetch_related("indicators")
        .distinct()
        .order_by("-ended_on", "pk")
    )
    return [
        {
            "engagement": e,
            "indicators": [{"indicator": i, "met": i.target_met} for i in e.indicators.all()],
        }
        for e in engagements
    ]
