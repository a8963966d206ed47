"""Settings come from the environment; production values pass Django's deployment checks."""

import os
import subprocess
import sys

from django.conf import settings
from django.db import connection

BASE_DIR = settings.BASE_DIR
PRODUCTION_ENV = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "k3y-" + "x7Q9pL2vR8sT4wY6zA1bC3dE5fG7hJ9kM0nP2qS4uV6wX8yZ",
    "DJANGO_ALLOWED_HOSTS": "portal.ccee-ca.org",
    "SITE_URL": "https://portal.ccee-ca.org",
}
# Knobs `make test` sets for the test server that production never sets.
TEST_ONLY_KEYS = (
    "DJANGO_SECURE_SSL_REDIRECT",
    "DJANGO_SECURE_COOKIES",
    "DJANGO_STATICFILES_STORAGE",
    "DJANGO_SECRET_KEY",
    "DJANGO_DEBUG",
)


def manage(*args, env_overrides):
    env = {k: v for k, v in os.environ.items() if k not in TEST_ONLY_KEYS}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_suite_runs_on_postgresql(db):
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        assert cursor.fetchone()[0].startswith("PostgreSQL")


def test_time_zone_is_pacific():
    assert settings.TIME_ZONE == "America/Los_Angeles"
    assert settings.USE_TZ


def test_check_deploy_with_production_values_reports_nothing():
    result = manage("check", "--deploy", "--fail-level", "DEBUG", env_overrides=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_refuses_to_start_without_a_secret_key_when_debug_is_off():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DJANGO_SECRET_KEY"}
    result = manage("check", env_overrides=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_embedded_defaults_need_no_service(tmp_path):
    env = {"DJANGO_DEBUG": "1", "CCEE_VAR_DIR": str(tmp_path)}
    code = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE','ccee_portal.settings');"
        "django.setup(); from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE']); print(s.CELERY_BROKER_URL);"
        "print(s.EMAIL_BACKEND)"
    )
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "REDIS_URL", *TEST_ONLY_KEYS)
    }
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env={**environment, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "filesystem://",
        "django.core.mail.backends.filebased.EmailBackend",
    ], result.stderr


def test_check_services_says_how_to_start_a_missing_redis():
    result = manage(
        "check_services",
        env_overrides={
            "DJANGO_DEBUG": "1",
            "REDIS_URL": "redis://127.0.0.1:1/0",
            "DATABASE_URL": os.environ["DATABASE_URL"],
        },
    )
    assert result.returncode == 1
    assert "Redis: cannot connect" in result.stderr
    assert "redis-server --daemonize yes" in result.stderr


def test_check_services_refuses_sqlite():
    result = manage(
        "check_services",
        env_overrides={"DJANGO_DEBUG": "1", "DATABASE_URL": "sqlite:////tmp/not-postgres.db"},
    )
    assert result.returncode == 1
    assert "not PostgreSQL" in result.stderr


def test_check_services_says_how_to_start_a_missing_postgresql():
    result = manage(
        "check_services",
        env_overrides={
            "DJANGO_DEBUG": "1",
            "DATABASE_URL": "postgres://postgres@127.0.0.1:1/ccee_portal",
            "REDIS_URL": os.environ["REDIS_URL"],
        },
    )
    assert result.returncode == 1
    assert "PostgreSQL: cannot connect" in result.stderr
    assert "pg_ctlcluster --skip-systemctl-redirect" in result.stderr


def test_check_services_accepts_a_server_without_the_named_database():
    result = manage(
        "check_services",
        env_overrides={
            "DJANGO_DEBUG": "1",
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/no_such_database_yet",
            "REDIS_URL": os.environ["REDIS_URL"],
        },
    )
    assert result.returncode == 0, result.stderr
