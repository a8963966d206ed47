"""Admin building blocks shared by the apps."""


class ViewOnlyAdminMixin:
    """Rows the portal writes itself (history, outbox, documents): shown, never added or edited.

    Works for a ModelAdmin and for an inline (whose add check also receives the parent object).
    """

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
