"""Shared fixtures: personas, and the guarantee that the suite runs on PostgreSQL."""

import pytest
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
