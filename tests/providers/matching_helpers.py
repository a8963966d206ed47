"""Providers for the matching tests, made directly (the registry's own flows have their tests)."""

from django.utils import timezone

from providers.models import Provider, ProviderConflict, ProviderMember
from tests.factories import UserFactory


def make_provider(name="Bay Coaching", *, status="approved", **kwargs) -> Provider:
    values = {
        "kind": "coach",
        "summary": "Coaches leading teams through cycles of inquiry.",
        "contact_email": f"{name.split()[0].lower()}@provider.example.org",
        "expertise": ["ela_social_science_pedagogy", "english_learners", "quality_of_teaching"],
        "counties": ["01"],
        "capacity": 2,
        "approved_at": timezone.now() if status == "approved" else None,
    }
    values.update(kwargs)
    return Provider.objects.create(name=name, status=status, **values)


def add_member(provider, **user_kwargs):
    from core import roles

    user = UserFactory(role=roles.ASSISTANCE_PROVIDER, **user_kwargs)
    ProviderMember.objects.create(provider=provider, user=user, role="lead")
    return user


def declare_conflict(provider, lea, kind="employment", description="Former employee"):
    return ProviderConflict.objects.create(
        provider=provider, lea=lea, kind=kind, description=description
    )
