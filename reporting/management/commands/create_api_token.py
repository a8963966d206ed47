"""python manage.py create_api_token EMAIL NAME: a read API token, printed once."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from reporting.services import api_token_create


class Command(BaseCommand):
    help = "Create a read API token for the person with EMAIL; the token is printed only once."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("name", help="What the token is for, e.g. 'county dashboard'.")

    def handle(self, *args, email, name, **options):
        user = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise CommandError(f"No active person has the email address {email}.")
        token, secret = api_token_create(user=user, name=name[:100])
        self.stdout.write(f"Token {token.name!r} for {user.email} (shown once, keep it safe):")
        self.stdout.write(secret)
