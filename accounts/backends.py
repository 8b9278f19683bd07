"""Django model permissions from roles: Secretariat staff may use the whole admin site.

Only Django's own permission checks (the admin) read this; cbhub's views and API use the scoped
policies in core.permissions.
"""

from django.contrib.auth.backends import BaseBackend

from accounts.roles import Role


class RolePermissionBackend(BaseBackend):
    def _is_secretariat_staff(self, user) -> bool:
        return user.is_active and user.is_staff and getattr(user, "role", None) == Role.SECRETARIAT

    def has_perm(self, user_obj, perm, obj=None) -> bool:
        return self._is_secretariat_staff(user_obj)

    def has_module_perms(self, user_obj, app_label) -> bool:
        return self._is_secretariat_staff(user_obj)
