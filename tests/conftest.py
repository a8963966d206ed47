"""Shared fixtures: personas, and the guarantee that the suite runs on PostgreSQL."""

import socket

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings

from core import roles
from tests.factories import LeaFactory, MembershipFactory, UserFactory


def pytest_configure(config):
    engine = settings.DATABASES["default"]["ENGINE"]
    if engine != "django.db.backends.postgresql":
        pytest.exit(
            f"The test suite runs on PostgreSQL only, and DATABASE_URL gives {engine}. Run "
            "`make test`, or set DATABASE_URL=postgres://postgres@127.0.0.1:5432/ccee_portal.",
            returncode=4,
        )


@pytest.fixture(autouse=True)
def _eager_celery(request):
    """Run Celery tasks in-process unless a test drives a real worker."""
    from ccee_portal.celery import app

    if request.node.get_closest_marker("celery_worker_real"):
        yield
        return
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def lea(db):
    return LeaFactory()


@pytest.fixture
def other_lea(db):
    return LeaFactory()


@pytest.fixture
def lea_staff(lea):
    return MembershipFactory(lea=lea).user


@pytest.fixture
def other_lea_staff(other_lea):
    return MembershipFactory(lea=other_lea).user


@pytest.fixture
def unapproved_member(lea):
    return MembershipFactory(lea=lea, status="pending").user


@pytest.fixture
def reviewer(db):
    return UserFactory(role=roles.CCEE_REVIEWER, full_name="Riley Reviewer")


@pytest.fixture
def lead(db):
    return UserFactory(role=roles.CCEE_LEAD, full_name="Lee Lead")


@pytest.fixture
def agent(db):
    return UserFactory(role=roles.ADMINISTRATIVE_AGENT, full_name="Avery Agent")


class AcceptMail:
    """An SMTP server's handler that accepts every message and keeps its envelope."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 2.0.0 OK: queued"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def use_smtp(settings, port: int) -> None:
    """Send mail through Django's SMTP backend to 127.0.0.1:`port`."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.DEFAULT_FROM_EMAIL = "CCEE Assistance Portal <noreply@ccee-ca.org>"


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on a free local port, with Django's SMTP backend pointed at it."""
    handler = AcceptMail()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    use_smtp(settings, controller.port)
    yield handler
    controller.stop()
