"""The portal's admin site: CCEE's branding, and index panels the apps register.

Set as Django's default admin site through core.apps.PortalAdminConfig, so `admin.site` and
`@admin.register` are this site everywhere, and nothing changes the site at import time.
"""

from collections import OrderedDict
from dataclasses import dataclass

from django.contrib import admin
from django.template.defaultfilters import urlencode
from django.template.loader import get_template
from django.urls import get_script_prefix, reverse
from django.utils import translation

# Sidebars kept per process: one per set of permissions and current page of the navigation.
SIDEBAR_CACHE_SIZE = 512


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
        self._app_lists: OrderedDict = OrderedDict()
        self._sidebars: OrderedDict = OrderedDict()

    # -- The navigation, built once per set of permissions ---------------------------------
    # Every admin page lists the apps and models the person may open (Django's get_app_list,
    # then the nav_sidebar.html template): about a tenth of a triage page's time, to write the
    # same list again. What the list shows depends only on the person's permissions (every
    # ModelAdmin here decides has_*_permission from has_perm; the app list has no object), so
    # it is kept per process under the permission set, and the sidebar's HTML under that set
    # with which of its links the page is on. A permission granted or withdrawn is another key.

    def get_app_list(self, request, app_label=None):
        key = (_permission_key(request.user), get_script_prefix(), app_label)
        build = super().get_app_list
        app_list = _cached(self._app_lists, key, lambda: build(request, app_label))
        # Callers get their own dictionaries: the kept list is never changed by a page.
        return [{**app, "models": [dict(m) for m in app["models"]]} for app in app_list]

    def each_context(self, request):
        context = super().each_context(request)
        apps = context["available_apps"]
        # A callable: base_site.html's sidebar block calls it only where the sidebar is shown.
        context["nav_sidebar"] = lambda: self._nav_sidebar(request, apps)
        return context

    def _nav_sidebar(self, request, apps):
        """Return admin/nav_sidebar.html rendered for these apps on this page (kept, see above)."""
        path = urlencode(request.path)  # what app_list.html compares the links with
        current = tuple(
            (app["app_url"] in path, tuple(m.get("admin_url") in path for m in app["models"]))
            for app in apps
        )
        key = (
            _permission_key(request.user),
            get_script_prefix(),
            translation.get_language(),
            current,
        )
        template = get_template("admin/nav_sidebar.html")
        return _cached(
            self._sidebars,
            key,
            lambda: template.render({"available_apps": apps, "request": request}),
        )

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


def _permission_key(user) -> tuple:
    """Return what decides the navigation a person sees: their standing and permissions."""
    return (
        user.is_active,
        user.is_staff,
        user.is_superuser,
        frozenset(user.get_all_permissions()) if user.is_active else frozenset(),
    )


def _cached(cache: OrderedDict, key, build):
    """Return cache[key], building it first if absent; keep the SIDEBAR_CACHE_SIZE newest."""
    if key in cache:
        cache.move_to_end(key)
        return cache[key]
    value = cache[key] = build()
    if len(cache) > SIDEBAR_CACHE_SIZE:
        cache.popitem(last=False)
    return value
