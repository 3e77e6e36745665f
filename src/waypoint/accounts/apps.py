from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "waypoint.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from waypoint.accounts import roles, signals  # noqa: F401  (connects receivers)

        post_migrate.connect(roles.sync_roles_after_migrate, dispatch_uid="waypoint-sync-roles")
