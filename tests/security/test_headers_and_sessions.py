"""Headers on every page type (CSP, Permissions-Policy, no-store), HSTS and proxy trust, and
the session's idle timeout."""

import subprocess
import sys
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD, submitted_request

pytestmark = pytest.mark.django_db

PAGE_TYPES = [
    ("anonymous", "accounts:login"),
    ("lea_staff", "requests_intake:request_list"),
    ("reviewer", "admin:index"),
    ("reviewer", "admin:requests_intake_assistancerequest_changelist"),
    ("agent", "admin:contracts_scopeofwork_changelist"),
]


@pytest.mark.parametrize(("persona", "name"), PAGE_TYPES)
def test_every_page_type_has_a_csp_without_unsafe_inline_and_a_permissions_policy(
    client, request, persona, name
):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse(name))
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "'unsafe-inline'" not in csp
    assert "frame-ancestors 'none'" in csp
    assert "camera=()" in response["Permissions-Policy"]
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_a_request_page_and_its_evidence_are_never_cached(client, lea, lea_staff):
    from tests.factories import AttachmentFactory

    req = submitted_request(lea=lea, by=lea_staff)
    attachment = AttachmentFactory(request=req)
    client.force_login(lea_staff)
    page = client.get(reverse("requests_intake:request_detail", args=[req.pk]))
    download = client.get(
        reverse("requests_intake:attachment_download", args=[req.pk, attachment.pk])
    )
    for response in (page, download):
        assert "no-store" in response["Cache-Control"]


def test_no_template_of_ours_has_inline_script_style_or_handlers():
    from pathlib import Path

    base = Path(settings.BASE_DIR)
    offenders = []
    for path in base.glob("**/templates/**/*.html"):
        if any(part in {".venv", "node_modules"} for part in path.parts):
            continue
        if "/notices/" in path.as_posix():
            continue  # email bodies: mail clients need inline style, and no CSP applies
        text = path.read_text()
        for needle in ("<style", 'style="', "onclick=", "onload=", "onsubmit=", "onchange="):
            if needle in text:
                offenders.append(f"{path.relative_to(base)}: {needle}")
        for line in text.splitlines():
            if "<script" in line and "src=" not in line and "json_script" not in line:
                offenders.append(f"{path.relative_to(base)}: inline <script>")
    assert not offenders


def _settings_in_production(**env):
    code = (
        "import os, django; os.environ['DJANGO_SETTINGS_MODULE']='ccee_portal.settings';"
        "django.setup(); from django.conf import settings as s;"
        "print(s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD,"
        " getattr(s, 'SECURE_PROXY_SSL_HEADER', None))"
    )
    environment = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "x" * 60,
        **env,
    }
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        env=environment,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_hsts_sub_domains_and_preload_and_proxy_trust_are_off_unless_asked_for():
    assert _settings_in_production() == "False False None"
    assert (
        _settings_in_production(
            DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS="1",
            DJANGO_SECURE_HSTS_PRELOAD="1",
            DJANGO_TRUST_PROXY_HEADERS="1",
        )
        == "True True ('HTTP_X_FORWARDED_PROTO', 'https')"
    )


def test_a_spoofed_forwarded_proto_does_not_make_a_request_secure(client):
    response = client.get(reverse("accounts:login"), HTTP_X_FORWARDED_PROTO="https")
    assert response.wsgi_request.is_secure() is False


def _sign_in(client, user):
    response = client.post(
        reverse("accounts:login"), {"username": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302


@pytest.mark.real_mfa
def test_lea_staff_are_signed_out_after_two_idle_hours_not_before(client, lea_staff):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _sign_in(client, lea_staff)
    with time_machine.travel(start + timedelta(hours=1, minutes=59), tick=False):
        assert client.get(reverse("requests_intake:request_list")).status_code == 200
    # Activity moved the idle clock: two hours from the last request, not from sign-in.
    with time_machine.travel(start + timedelta(hours=3, minutes=58), tick=False):
        assert client.get(reverse("requests_intake:request_list")).status_code == 200
    with time_machine.travel(start + timedelta(hours=6), tick=False):
        response = client.get(reverse("requests_intake:request_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert "_auth_user_id" not in client.session


def test_staff_are_signed_out_after_thirty_idle_minutes(client, reviewer):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.force_login(reviewer)
        assert client.get(reverse("admin:index")).status_code == 200
    with time_machine.travel(start + timedelta(minutes=31), tick=False):
        response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_the_idle_timeouts_come_from_settings(client, reviewer, settings):
    settings.SESSION_IDLE_TIMEOUT_STAFF = 5 * 60
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.force_login(reviewer)
    with time_machine.travel(start + timedelta(minutes=6), tick=False):
        assert client.get(reverse("admin:index")).status_code == 302


def test_the_suite_s_force_login_passes_the_second_factor_of_staff_it_made(client):
    from core import roles
    from tests.factories import UserFactory

    agent = UserFactory(role=roles.ADMINISTRATIVE_AGENT)  # no device: force_login enrols one
    client.force_login(agent)
    assert client.get(reverse("admin:index")).status_code == 200


def test_the_health_endpoint_checks_the_database_cache_and_files(client):
    response = client.get(reverse("health"), HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert set(response.json().values()) == {"OK"}
    assert len(response.json()) == 3
