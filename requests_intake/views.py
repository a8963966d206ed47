"""LEA-facing request pages."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from . import selectors


@login_required
def request_list(request):
    """List every request of the person's approved LEAs."""
    return render(
        request,
        "requests_intake/assistancerequest_list.html",
        {"requests": selectors.requests_for_member(request.user)},
    )


@login_required
def request_detail(request, pk):
    """Show one request of the person's LEAs; any other request is a 404."""
    req = selectors.request_get_for_member(request.user, pk)
    return render(request, "requests_intake/assistancerequest_detail.html", {"req": req})
