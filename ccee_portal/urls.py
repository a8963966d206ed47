"""URLs: the LEA-facing site, accounts, and the admin branded for CCEE."""

from django.contrib import admin
from django.urls import include, path
from health_check.views import HealthCheckView

from accounts import urls as account_urls
from reporting.api import api as reporting_api
from requests_intake import membership_urls

from . import views

# Sign-up asks for an LEA, so its page is requests_intake's; it keeps its address and its name
# (accounts:signup) among the accounts' URLs.
account_patterns = (account_urls.urlpatterns + membership_urls.urlpatterns, account_urls.app_name)

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    # django-health-check: the web process (database, cache, private files) and the Celery
    # workers; compose's health checks call them, and its proxy does not serve them outside.
    path("health/", HealthCheckView.as_view(checks=views.WEB_HEALTH_CHECKS), name="health"),
    path(
        "health/worker/",
        HealthCheckView.as_view(checks=views.WORKER_HEALTH_CHECKS),
        name="health_worker",
    ),
    path("accounts/", include(account_patterns)),
    path("requests/", include("requests_intake.urls")),
    path("agreements/", include("contracts.urls")),
    path("engagements/", include("engagements.urls")),  # h15, issue 15
    path("providers/", include("providers.urls")),  # the assistance provider registry
    path("admin/", admin.site.urls),
    # reporting (issue 17): the public dashboard (no sign-in) and the read API, version 1
    path("dashboard/", include("reporting.urls")),
    path("api/v1/", reporting_api.urls),
]

handler403 = "ccee_portal.views.permission_denied"
handler404 = "ccee_portal.views.page_not_found"
handler500 = "ccee_portal.views.server_error"
