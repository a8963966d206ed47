from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "People"

    def ready(self):
        from django.db.models.signals import post_migrate

        from core.roles import sync_role_permissions
        from notices import registry

        from .notice_kinds import KINDS

        registry.register(*KINDS)
        # Their signal receivers: the session's last-seen stamp and second factor at sign-in
        # and sign-out, and failed sign-ins counted per network address.
        from . import mfa, middleware, throttling  # noqa: F401

        # Permissions of models added by later migrations exist only after migrate; keep each
        # role's grant exactly as core/roles.py declares it.
        post_migrate.connect(sync_role_permissions, dispatch_uid="ccee_sync_role_permissions")
