"""Django's ModelBackend, reading a person's permissions (their own and their groups') at once.

Django reads a person's own permissions and their groups' in two queries, the first time a page
asks `has_perm`; nearly every page asks (the navigation, the admin). The same set is read here
in one query (a UNION of the two), and kept on the user object for the request as Django does.
"""

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission


def _names(queryset):
    return queryset.values_list("content_type__app_label", "codename").order_by()


class ModelBackendOneQuery(ModelBackend):
    """ModelBackend whose `get_all_permissions` costs one query, not two."""

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            if user_obj.is_superuser:
                rows = _names(Permission.objects.all())
            else:
                own = _names(Permission.objects.filter(user=user_obj))
                rows = own.union(_names(Permission.objects.filter(group__user=user_obj)))
            user_obj._perm_cache = {f"{app_label}.{codename}" for app_label, codename in rows}
        return user_obj._perm_cache
