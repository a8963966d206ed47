"""Reads that pages need, with their related rows fetched in a fixed number of queries."""

from .models import LeaMembership


def memberships_for_user(user):
    """Return the person's LEA memberships, approved and pending, with their LEAs."""
    return LeaMembership.objects.filter(user=user).select_related("lea").order_by("lea__name")


def requests_for_member(user):
    """Return the requests of the person's approved LEAs, newest first."""
    from .models import AssistanceRequest

    return (
        AssistanceRequest.objects.for_member(user)
        .select_related("lea")
        .order_by("-last_activity_at", "-pk")
    )


def request_get_for_member(user, pk):
    """Return the request if it belongs to one of the person's approved LEAs; else raise 404."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(requests_for_member(user), pk=pk)
