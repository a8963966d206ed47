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


class PortalAdminSite(admin.AdminSite):
    site_header = "CCEE Assistance Portal"
    site_title = "CCEE Assistance Portal"
    index_title = "Requests, triage and contracts"
    index_template = "admin/core/index.html"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.index_panels: list[IndexPanel] = []

    def register_index_panel(self, panel: IndexPanel) -> None:
        """Show `panel` on the index (apps call this from their AppConfig.ready)."""
        if panel not in self.index_panels:
            self.index_panels.append(panel)

    def index(self, request, extra_context=None):
        panels = [
            {"title": p.title, "url": reverse(p.url_name, current_app=self.name), "text": p.text}
            for p in self.index_panels
            if request.user.has_perm(p.permission)
        ]
        return super().index(request, {"index_panels": panels, **(extra_context or {})})
