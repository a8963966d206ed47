"""Sign-up, membership requests, the LEA picker's search, members and colleague invitations.

Served among the accounts' URLs (see ccee_portal/urls.py).
"""

from django.urls import path

from . import colleague_pages, membership_pages

urlpatterns = [
    path("signup/", membership_pages.signup, name="signup"),
    path("memberships/request/", membership_pages.membership_request, name="membership_request"),
    path("leas/search/", membership_pages.lea_search, name="lea_search"),
    path("leas/<int:lea_id>/members/", colleague_pages.lea_members, name="lea_members"),
    path("leas/<int:lea_id>/members/invite/", colleague_pages.lea_invite, name="lea_invite"),
    path("invitations/<str:token>/", colleague_pages.invitation, name="invitation"),
]
