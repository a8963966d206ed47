"""Shared fixtures: personas, the guarantee that the suite runs on PostgreSQL, the clock.

`--clock-shift-days=N` runs the whole session on a clock N days ahead of the real one (still
ticking). A test that runs wholly inside its frozen clock, or computes its dates from the real
now, passes either way; one that freezes the clock for part of its work and reads the real
clock for the rest (a time bomb that goes off some day after its frozen date) fails at once.
`make test` runs the suite a second time with the clock a year ahead.
"""

import socket
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.conf import settings
from django.core.management import call_command
from django.test.utils import override_settings
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from core import roles
from tests.factories import (
    LeaFactory,
    MembershipFactory,
    ProviderFactory,
    ProviderMemberFactory,
    UserFactory,
)

# Property tests try as many examples on a busy 2-core machine as on a fast one. Only the checks
# that time the machine are off (the per-example deadline, and the health check that fails when
# drawing inputs is slow, as the first draw of st.text() is on a busy machine): a property test
# fails for a wrong answer, never for a slow CPU.
hypothesis_settings.register_profile(
    "portal", deadline=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True
)
hypothesis_settings.load_profile("portal")

# What the shifted clock does not reach: Chromium's own clock, and the real worker's Redis.
NOT_ON_A_SHIFTED_CLOCK = ("browser", "celery_worker_real")


def pytest_addoption(parser):
    parser.addoption(
        "--clock-shift-days",
        type=int,
        default=0,
        metavar="DAYS",
        help="run the session on a clock moved DAYS ahead of the real one (it keeps ticking); "
        "tests marked browser or celery_worker_real are deselected",
    )


def pytest_configure(config):
    engine = settings.DATABASES["default"]["ENGINE"]
    if engine != "django.db.backends.postgresql":
        pytest.exit(
            f"The test suite runs on PostgreSQL only, and DATABASE_URL gives {engine}. Run "
            "`make test`, or set DATABASE_URL=postgres://postgres@127.0.0.1:5432/ccee_portal.",
            returncode=4,
        )
    days = config.getoption("clock_shift_days")
    if days:
        # Started before collection, so that module-level reads of the clock are shifted too.
        # A test's own time_machine.travel() nests inside this one and returns to it.
        config._shifted_clock = time_machine.travel(
            datetime.now(UTC) + timedelta(days=days), tick=True
        )
        config._shifted_clock.start()


def pytest_unconfigure(config):
    shifted = getattr(config, "_shifted_clock", None)
    if shifted is not None:
        shifted.stop()


def pytest_report_header(config):
    days = config.getoption("clock_shift_days")
    if days:
        return f"clock: the real one {days:+d} days, now {datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
    return None


@pytest.hookimpl(trylast=True)  # after tests/browser/conftest.py has marked its tests
def pytest_collection_modifyitems(config, items):
    if not config.getoption("clock_shift_days"):
        return
    keep, leave = [], []
    for item in items:
        off = any(item.get_closest_marker(name) for name in NOT_ON_A_SHIFTED_CLOCK)
        (leave if off else keep).append(item)
    if leave:
        config.hook.pytest_deselected(items=leave)
        items[:] = keep


@pytest.fixture(scope="session", autouse=True)
def collected_static(tmp_path_factory):
    """Collect the static files into a folder of this session, with the storage production uses.

    Pages then name their files as users get them (hashed, from the manifest), a template naming
    a file that is not there fails as it would in production, and WhiteNoise serves the folder.
    """
    root = tmp_path_factory.mktemp("staticfiles")
    with override_settings(STATIC_ROOT=root):
        call_command("collectstatic", interactive=False, verbosity=0)
        yield root


# --- the seal of e-signed agreements uses a key generated for this session ---------------
@pytest.fixture(scope="session", autouse=True)
def agreement_seal_dir(tmp_path_factory):
    """A self-signed seal key and certificate of this session, never the checkout's var/."""
    folder = tmp_path_factory.mktemp("seal")
    with override_settings(
        AGREEMENT_SEAL_DIR=folder, AGREEMENT_SEAL_KEY_FILE="", AGREEMENT_SEAL_CERT_FILE=""
    ):
        yield folder


# ------------------------------------------------------------------------------------------------


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


@pytest.fixture(autouse=True)
def _notice_broker_breaker_closed():
    """Start every test with the outbox's broker circuit breaker closed (notices.broker)."""
    from notices.broker import breaker, drop_connection

    breaker.reset()
    yield
    breaker.reset()
    drop_connection()  # the kept publishing connection never outlives its test's broker


@pytest.fixture(autouse=True)
def _private_media_per_test(settings, tmp_path):
    """Write uploads and agreements under the test's own folder, never the checkout's var/.

    Parallel workers each number their rows from 1, so a shared folder would mix their files.
    """
    settings.MEDIA_ROOT = tmp_path / "private"
    settings.PRIVATE_MEDIA_ROOT = settings.MEDIA_ROOT


# --- rate-limit counters and the second factor ---------------------------------------


@pytest.fixture(autouse=True)
def _rate_limit_counters_per_test(settings, request):
    """Each test counts its rate limits from zero, in a cache of its own (not the shared Redis)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"test-{request.node.nodeid}",
        }
    }
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _force_login_passes_the_second_factor(request, monkeypatch):
    """client.force_login(staff) also passes the second factor (tests/mfa.py), as before MFA.

    A test marked real_mfa keeps Django's own force_login, to prove the second factor itself.
    """
    if request.node.get_closest_marker("real_mfa"):
        return
    from django.test import Client

    from tests.mfa import force_login_passing_second_factor

    monkeypatch.setattr(
        Client, "force_login", force_login_passing_second_factor(Client.force_login)
    )


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
    # Staff personas have an authenticator enrolled (tests/mfa.py), as staff must.
    return _enrolled(UserFactory(role=roles.CCEE_REVIEWER, full_name="Riley Reviewer"))


@pytest.fixture
def lead(db):
    return _enrolled(UserFactory(role=roles.CCEE_LEAD, full_name="Lee Lead"))


@pytest.fixture
def agent(db):
    return _enrolled(UserFactory(role=roles.ADMINISTRATIVE_AGENT, full_name="Avery Agent"))


# The provider persona: a person of an approved provider (not staff, no LEA membership), and
# the same for a second provider, to try each against the other's data.
@pytest.fixture
def provider(db):
    return ProviderFactory(name="Bright Path Partners")


@pytest.fixture
def provider_member(provider):
    return ProviderMemberFactory(provider=provider, user__full_name="Pat Provider").user


@pytest.fixture
def other_provider(db):
    return ProviderFactory(name="Other Learning Group")


@pytest.fixture
def other_provider_member(other_provider):
    return ProviderMemberFactory(provider=other_provider).user


def _enrolled(user):
    from tests.mfa import enrol_totp

    enrol_totp(user)
    return user


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


@pytest.fixture
def form_templates_used(monkeypatch):
    """The names of the form templates Django's own renderer renders from now on, in order."""
    from django.forms.renderers import DjangoTemplates

    used = []
    django_render = DjangoTemplates.render

    def render(self, template_name, context, request=None):
        used.append(template_name)
        return django_render(self, template_name, context, request)

    monkeypatch.setattr(DjangoTemplates, "render", render)
    return used
