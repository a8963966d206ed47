"""URLs: the LEA-facing site, accounts, and the admin branded for CCEE."""

from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("accounts.urls")),
    path("requests/", include("requests_intake.urls")),
    path("agreements/", include("contracts.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "ccee_portal.views.permission_denied"
handler404 = "ccee_portal.views.page_not_found"
handler500 = "ccee_portal.views.server_error"
