"""The portal's admin site: CCEE's branding, and index panels the apps register.

Set as Django's default admin site through core.apps.PortalAdminConfig, so `admin.site` and
`@admin.register` are this site everywhere, and nothing changes the site at import time.
"""

from dataclasses import dataclass

from django.contrib import admin
from django.urls import reverse


@dataclass(frozen=True)
class IndexPanel:
    """A link on the admin index for the people holding `permission`."""

    title: str
    url_name: str
    text: str
    permission: str


@dataclass(frozen=True)
class ObjectLink:
    """A link on a model's admin change view to a page of a higher app about that object.

    The page's URL is `url_name` reversed with the object's pk; shown to holders of `permission`.
    """

    model: str  # the model's label_lower, e.g. "requests_intake.assistancerequest"
    title: str
    url_name: str
    permission: str


class PortalAdminSite(admin.AdminSite):
    site_header = "CCEE Assistance Portal"
    site_title = "CCEE Assistance Portal"
    index_title = "Requests, triage and contracts"
    index_template = "admin/core/index.html"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.index_panels: list[IndexPanel] = []
        self.object_links: list[ObjectLink] = []

    def register_index_panel(self, panel: IndexPanel) -> None:
        """Show `panel` on the index (apps call this from their AppConfig.ready)."""
        if panel not in self.index_panels:
            self.index_panels.append(panel)

    def register_object_link(self, link: ObjectLink) -> None:
        """Offer `link` on the change view of its model (apps call this from AppConfig.ready)."""
        if link not in self.object_links:
            self.object_links.append(link)

    def object_links_for(self, user, obj) -> list[dict]:
        """Return the registered links about `obj` this person may follow: title and URL."""
        if obj is None or getattr(obj, "pk", None) is None:
            return []
        label = obj._meta.label_lower
        return [
            {"title": link.title, "url": reverse(link.url_name, args=(obj.pk,))}
            for link in self.object_links
            if link.model == label and user.has_perm(link.permission)
        ]

    def index(self, request, extra_context=None):
        panels = [
            {"title": p.title, "url": reverse(p.url_name, current_app=self.name), "text": p.text}
            for p in self.index_panels
            if request.user.has_perm(p.permission)
        ]
        return super().index(request, {"index_panels": panels, **(extra_context or {})})
