"""core.history: a model's `.history` manager class is made once, its managers every time."""

import pytest

from tests.factories import submitted_request


@pytest.mark.django_db
def test_history_managers_share_one_class_and_each_reads_its_own_requests_versions():
    first, second = submitted_request(), submitted_request()

    assert type(first.history) is type(second.history) is type(first.history)
    assert first.history is not first.history
    assert first.history.instance == first and second.history.instance == second
    assert {version.id for version in first.history.all()} == {first.pk}
    assert first.history.count() >= 2  # the draft and its submission
    assert {v.id for v in type(first).history.all()} >= {first.pk, second.pk}
