"""The demo data holds vetted providers of each kind, and the demo provider's engagement."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from engagements.models import Engagement
from providers.models import Provider, ProviderChange, VettingNote

pytestmark = pytest.mark.django_db


def test_the_demo_registry_has_vetted_providers_of_each_kind_and_the_demo_account_works(
    settings,
):
    settings.DEMO_ACCOUNTS_ENABLED = True
    call_command("load_demo_data", stdout=StringIO())
    call_command("load_demo_data", stdout=StringIO())  # again: nothing new
    approved = Provider.objects.approved()
    kinds = {kind: approved.filter(kind=kind).count() for kind in Provider.Kind.values}
    assert all(count >= 2 for count in kinds.values()), kinds
    assert approved.count() == Provider.objects.count() == 7
    assert ProviderChange.objects.filter(action="approve").count() == 7
    assert VettingNote.objects.count() == 21
    assert all(p.expertise and p.capacity and (p.counties or p.statewide) for p in approved)
    person = get_user_model().objects.get(email="provider@demo.ccee.test")
    assert person.check_password("demo-provider-2026") and not person.is_staff
    client = Client()
    client.force_login(person)
    engagement = Engagement.objects.get()
    page = client.get(reverse("providers:home"))
    assert reverse("engagements:detail", args=[engagement.pk]) in page.content.decode()
    assert client.get(reverse("engagements:detail", args=[engagement.pk])).status_code == 200
