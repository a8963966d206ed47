"""label_of gives the label get_FOO_display() gives, translated, and the value when unknown."""

from django.utils import translation

from core.choices import label_of
from requests_intake.models import AssistanceRequest, StatusChange

S = AssistanceRequest.Status


def test_every_status_reads_as_django_would_write_it():
    for status in S:
        req = AssistanceRequest(status=status)
        change = StatusChange(to_status=status, from_status=S.DRAFT)
        expected = str(dict(S.choices)[status])
        assert req.get_status_display() == change.get_to_status_display() == expected
        assert label_of(S, status.value) == expected


def test_an_unknown_value_reads_as_itself():
    assert AssistanceRequest(status="gone").get_status_display() == "gone"
    assert label_of(S, None) is None


def test_the_label_follows_the_active_language():
    with translation.override("fr"):
        assert label_of(S, S.DRAFT) == str(S.DRAFT.label)
