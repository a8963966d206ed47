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


def _python(code, *, cwd, env_overrides):
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "REDIS_URL", "CCEE_VAR_DIR", *TEST_ONLY_KEYS)
    }
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=cwd,
        env={**environment, "DJANGO_DEBUG": "1", **env_overrides},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_importing_the_settings_creates_no_folder(tmp_path):
    var_dir = tmp_path / "var"
    result = _python(
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'ccee_portal.settings';"
        "django.setup(); from django.conf import settings; print(settings.VAR_DIR)",
        cwd=BASE_DIR,
        env_overrides={"CCEE_VAR_DIR": str(var_dir)},
    )

    assert result.stdout.strip() == str(var_dir), result.stderr
    assert list(tmp_path.iterdir()) == []


def test_the_embedded_broker_s_folders_are_made_when_celery_is_configured(tmp_path):
    var_dir = tmp_path / "var"
    result = _python(
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'ccee_portal.settings';"
        "django.setup(); from ccee_portal.celery import app; print(app.conf.broker_url)",
        cwd=BASE_DIR,
        env_overrides={"CCEE_VAR_DIR": str(var_dir)},
    )

    assert result.stdout.strip() == "filesystem://", result.stderr
    assert sorted(p.name for p in (var_dir / "celery").iterdir()) == [
        "control",
        "processed",
        "queue",
    ]


def test_ccee_var_dir_is_read_from_the_dot_env_file(tmp_path):
    # A checkout of its own: the real settings module, beside a .env that names the folder.
    checkout = tmp_path / "checkout"
    (checkout / "ccee_portal").mkdir(parents=True)
    (checkout / "ccee_portal" / "__init__.py").write_text("")
    (checkout / "ccee_portal" / "settings.py").write_text(
        (BASE_DIR / "ccee_portal" / "settings.py").read_text()
    )
    var_dir = tmp_path / "state-from-dot-env"
    (checkout / ".env").write_text(f"CCEE_VAR_DIR={var_dir}\n")

    result = _python(
        "from ccee_portal import settings as s;"
        "print(s.VAR_DIR); print(s.DATABASES['default']['NAME']); print(s.PRIVATE_MEDIA_ROOT);"
        "print(s.CELERY_BROKER_TRANSPORT_OPTIONS['data_folder_in'])",
        cwd=checkout,
        env_overrides={"PYTHONPATH": str(checkout)},
    )

    assert result.stdout.split() == [
        str(var_dir),
        str(var_dir / "ccee_portal.sqlite3"),
        str(var_dir / "private"),
        str(var_dir / "celery" / "queue"),
    ], result.stderr
    assert not var_dir.exists()


def test_database_connections_persist_and_are_checked_before_reuse(tmp_path):
    result = _python(
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'ccee_portal.settings';"
        "django.setup(); from django.conf import settings; d = settings.DATABASES['default'];"
        "print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])",
        cwd=BASE_DIR,
        env_overrides={"CCEE_VAR_DIR": str(tmp_path / "var")},
    )
    assert result.stdout.split() == ["60", "True"], result.stderr


_DATABASE_OPTIONS = (
    "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'ccee_portal.settings';"
    "django.setup(); from django.conf import settings;"
    "print(sorted(settings.DATABASES['default'].get('OPTIONS', {}).items()))"
)


def test_postgresql_binds_parameters_on_the_server_and_prepares_after_five_runs():
    server = "postgres://postgres@127.0.0.1:5432/portal"
    kept = _python(_DATABASE_OPTIONS, cwd=BASE_DIR, env_overrides={"DATABASE_URL": server})
    off = _python(
        _DATABASE_OPTIONS,
        cwd=BASE_DIR,
        env_overrides={"DATABASE_URL": server, "DATABASE_PREPARE_THRESHOLD": "off"},
    )

    assert kept.stdout.strip() == "[('prepare_threshold', 5), ('server_side_binding', True)]"
    assert off.stdout.strip() == "[('prepare_threshold', None), ('server_side_binding', True)]"


def test_postgresql_keeps_the_options_its_url_gives_beside_the_statement_options():
    server = "postgres://postgres@127.0.0.1:5432/portal?sslmode=require&connect_timeout=5"
    result = _python(_DATABASE_OPTIONS, cwd=BASE_DIR, env_overrides={"DATABASE_URL": server})

    assert result.stdout.strip() == (
        "[('connect_timeout', 5), ('prepare_threshold', 5), ('server_side_binding', True), "
        "('sslmode', 'require')]"
    ), result.stderr


def test_sqlite_gets_none_of_postgresql_s_statement_options(tmp_path):
    result = _python(
        _DATABASE_OPTIONS, cwd=BASE_DIR, env_overrides={"CCEE_VAR_DIR": str(tmp_path / "var")}
    )

    assert "prepare_threshold" not in result.stdout and "journal_mode=WAL" in result.stdout
