"""Contracts fixtures: private files under a temporary root, and an approved request."""

import pytest

from tests.factories import approved_request as make_approved_request


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private"
    settings.PRIVATE_MEDIA_ROOT = settings.MEDIA_ROOT


@pytest.fixture
def approved(lea, lea_staff, reviewer, agent):
    """An approved request of `lea`, submitted by `lea_staff`; its scope of work is drafted."""
    return make_approved_request(reviewer=reviewer, lea=lea, created_by=lea_staff)


@pytest.fixture
def sow(approved):
    return approved.scope_of_work
