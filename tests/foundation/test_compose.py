"""docker-compose.yml is valid against the Compose specification and runs the whole stack."""

import subprocess
import sys
from pathlib import Path

import yaml
from django.conf import settings

COMPOSE = Path(settings.BASE_DIR) / "docker-compose.yml"


def test_compose_file_validates_against_the_compose_specification():
    checker = Path(sys.executable).parent / "check-jsonschema"
    result = subprocess.run(
        [str(checker), "--builtin-schema", "vendor.compose-spec", str(COMPOSE)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok -- validation done" in result.stdout


def test_compose_runs_web_worker_beat_postgres_and_redis_with_health_checks():
    compose = yaml.safe_load(COMPOSE.read_text())
    services = compose["services"]
    assert set(services) == {"proxy", "web", "worker", "beat", "postgres", "redis"}
    for name, service in services.items():
        assert "healthcheck" in service, f"{name} has no health check"
    assert "gunicorn" in services["web"]["command"]
    assert "worker" in services["worker"]["command"]
    assert "beat" in services["beat"]["command"]
    assert {"postgres-data", "redis-data", "private-files"} <= set(compose["volumes"])


def test_only_the_tls_proxy_publishes_ports_and_gunicorn_trusts_its_headers():
    compose = yaml.safe_load(COMPOSE.read_text())
    services = compose["services"]
    published = {name for name, service in services.items() if service.get("ports")}
    assert published == {"proxy"}
    assert services["proxy"]["image"].startswith("caddy:")
    assert sorted(services["proxy"]["ports"]) == ["443:443", "80:80"]
    assert services["web"]["environment"]["DJANGO_TRUST_PROXY_HEADERS"] == "1"
    caddyfile = (COMPOSE.parent / "deploy" / "Caddyfile").read_text()
    assert "reverse_proxy web:8000" in caddyfile
    assert "respond @health 404" in caddyfile


def test_web_and_worker_health_checks_call_django_health_check_endpoints():
    from django.urls import reverse

    services = yaml.safe_load(COMPOSE.read_text())["services"]
    web, worker = services["web"]["healthcheck"]["test"], services["worker"]["healthcheck"]["test"]
    assert web[:5] == ["CMD", "python", "manage.py", "health_check", "health"]
    assert worker[:5] == ["CMD", "python", "manage.py", "health_check", "health_worker"]
    assert reverse("health") == "/health/"
    assert reverse("health_worker") == "/health/worker/"


def test_compose_validation_catches_a_broken_file(tmp_path):
    broken = tmp_path / "docker-compose.yml"
    broken.write_text("services:\n  web:\n    image: 42\n    ports: not-a-list\n")
    checker = Path(sys.executable).parent / "check-jsonschema"
    result = subprocess.run(
        [str(checker), "--builtin-schema", "vendor.compose-spec", str(broken)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
