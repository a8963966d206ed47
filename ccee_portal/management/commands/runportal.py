"""Serve the portal for `make run`: the web server plus a Celery worker with beat beside it."""

import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from ccee_portal.demo import DEMO_ACCOUNTS


class Command(BaseCommand):
    help = "Run the development server with a Celery worker and beat (embedded mode)."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, addrport, **options):
        # Beat keeps its schedule under VAR_DIR.
        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
        worker = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "ccee_portal",
                "worker",
                "--beat",
                "--pool=solo",
                "--loglevel=WARNING",
                f"--schedule={settings.VAR_DIR / 'celerybeat-schedule'}",
            ]
        )
        url = f"http://{addrport}/"
        self.stdout.write(self.style.SUCCESS(f"\nCCEE Assistance Portal: {url}"))
        self.stdout.write(f"Admin (CCEE staff and the administrative agent): {url}admin/")
        if settings.DEMO_ACCOUNTS_ENABLED:
            self.stdout.write("Demo accounts (demo only; refused when DEBUG is off):")
            for account in DEMO_ACCOUNTS:
                self.stdout.write(
                    f"  {account['role']:<22} {account['email']:<28} {account['password']}"
                )
        mail_dir = getattr(settings, "EMAIL_FILE_PATH", None)
        if mail_dir:
            self.stdout.write(f"Mail is written to {mail_dir}/ as .log files.\n")
        # Stopping `make run` with SIGTERM (not only Ctrl-C) must stop the worker too.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        try:
            call_command("runserver", addrport, use_reloader=False)
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=10)
            except subprocess.TimeoutExpired:
                worker.kill()
