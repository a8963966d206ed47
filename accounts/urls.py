"""The accounts' URLs; ccee_portal mounts them under accounts/ with requests_intake's sign-up."""

from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("verify/new/", views.verification_link, name="verification_link"),
    path("verify/<uidb64>/<token>/", views.verify_email, name="verify_email"),
    path("password/reset/", views.password_reset, name="password_reset"),
    path("password/reset/sent/", views.password_reset_done, name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("password/reset/done/", views.password_reset_complete, name="password_reset_complete"),
    path("password/change/", views.password_change, name="password_change"),
    path("password/change/done/", views.password_change_done, name="password_change_done"),
    path("two-step/", views.mfa_manage, name="mfa_manage"),
    path("two-step/setup/", views.mfa_setup, name="mfa_setup"),
    path("two-step/verify/", views.mfa_verify, name="mfa_verify"),
]
