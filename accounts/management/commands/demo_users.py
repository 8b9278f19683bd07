from django.core.management.base import BaseCommand

from accounts.demo import demo_users_create


class Command(BaseCommand):
    help = "Create one demo user per role (needs the reference data) and print their logins."

    def handle(self, *args, **options):
        users = demo_users_create()
        self.stdout.write("Demo logins (user / password / role and scope):")
        for user, password in users:
            scope = f" — {user.scope}" if user.scope else ""
            self.stdout.write(f"  {user.username:<12} {password}   {user.get_role_display()}{scope}")
