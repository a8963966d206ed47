"""Editing a role group as a superuser does it: on the admin's group page."""

from django.contrib.auth.models import Group
from django.urls import reverse

from tests.factories import UserFactory


def remove_in_the_admin(client, role, codename):
    """Untick one permission of a role group on the admin's group page, as a superuser would."""
    group = Group.objects.get(name=role)
    kept = group.permissions.exclude(codename=codename)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.post(
        reverse("admin:auth_group_change", args=[group.pk]),
        {"name": group.name, "permissions": list(kept.values_list("pk", flat=True))},
    )
    assert response.status_code == 302
    assert not group.permissions.filter(codename=codename).exists()
