"""The portal's home page, health check and error pages."""

from datetime import timedelta

from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from requests_intake.models import LeaMembership
from requests_intake.selectors import memberships_for_user


def home(request):
    """Show a signed-in person where to go; staff go to the admin, LEA staff to their LEAs."""
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    if request.user.is_staff:
        return redirect("admin:index")
    memberships = list(memberships_for_user(request.user))
    if not memberships and request.user.has_perm("providers.work_as_provider"):
        return redirect("providers:home")  # a provider's person, of no LEA
    approved = LeaMembership.Status.APPROVED
    return render(
        request,
        "home.html",
        {
            "memberships": memberships,
            "has_approved_membership": any(m.status == approved for m in memberships),
        },
    )


# What /health/ and /health/worker/ check (django-health-check).
WEB_HEALTH_CHECKS = (
    "health_check.checks.Database",
    "health_check.checks.Cache",
    "health_check.checks.Storage",
)
WORKER_HEALTH_CHECKS = (("health_check.contrib.celery.Ping", {"timeout": timedelta(seconds=3)}),)


@never_cache
def healthz(request):
    """Return 200 when the database answers (used by the compose health check)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)
