"""Sign-up and membership requests, served among the accounts' URLs (see ccee_portal/urls.py)."""

from django.urls import path

from . import membership_pages

urlpatterns = [
    path("signup/", membership_pages.signup, name="signup"),
    path("memberships/request/", membership_pages.membership_request, name="membership_request"),
]
