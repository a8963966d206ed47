"""The engagements' notice kinds are registered, each with its templates and the reference."""

from django.template.loader import select_template

from engagements.notice_kinds import K
from notices import registry


def test_every_engagement_kind_is_registered_with_its_templates_and_the_reference():
    for kind in K:
        registered = registry.get(kind.value)
        assert registered.label == kind.label
        assert "{ref}" in registered.subject
        assert len(kind.value) <= 40  # the outbox's kind column
        for ext in ("txt", "html"):
            name = f"engagements/notices/{kind.value}.{ext}"
            assert select_template([name]).template.name == name
