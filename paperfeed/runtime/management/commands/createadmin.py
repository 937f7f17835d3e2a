import getpass
import secrets
import sys

from django.contrib.auth.models import User
from django.core.management.base import CommandError

from paperfeed.lib.command import PaperfeedCommand


class Command(PaperfeedCommand):
    help = (
        "Create an admin (staff and superuser) account who can moderate in /admin. Without --password, a "
        "password is asked for on a terminal, or generated and printed otherwise."
    )
    example = "paperfeed createadmin alice --email alice@example.org"

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument("--password", help="the password (visible in shell history; prefer the prompt)")

    def handle(self, *args, username, email, password, **options):
        if User.objects.filter(username=username).exists():
            raise CommandError(
                f"A user {username!r} exists already; pick another name or use `paperfeed changepassword {username}`."
            )
        generated = False
        if not password:
            if sys.stdin.isatty():
                password = getpass.getpass("Password: ")
            else:
                password, generated = secrets.token_urlsafe(12), True
        User.objects.create_superuser(username=username, email=email, password=password)
        self.stdout.write(self.style.SUCCESS(f"Admin {username!r} created; log in at /admin/."))
        if generated:
            self.stdout.write(f"Generated password: {password}")
