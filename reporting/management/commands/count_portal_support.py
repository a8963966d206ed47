"""python manage.py count_portal_support: what beat does every REPORTING_COUNT_SECONDS."""

from django.core.management.base import BaseCommand

from reporting.services import portal_support_count


class Command(BaseCommand):
    help = "Count verified requests and engagements under way as DTA direct support, by quarter."

    def handle(self, *args, **options):
        result = portal_support_count()
        self.stdout.write(
            f"{result['added']} records added, {result['removed']} removed; "
            f"fiscal years recounted: {', '.join(map(str, result['years'])) or 'none'}."
        )
