"""The Celery application: configuration from Django settings (CELERY_*), tasks from the apps."""

import os
from pathlib import Path

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ccee_portal.settings")

app = Celery("ccee_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

FILE_SYSTEM_BROKER_FOLDERS = (
    "data_folder_in",
    "data_folder_out",
    "processed_folder",
    "control_folder",
)


@app.on_after_configure.connect
def make_file_system_broker_folders(sender, source, **kwargs):
    """Create the embedded broker's folders, which kombu's file-system transport expects.

    Every process that publishes (web, commands) or consumes (the worker) configures the app
    before its first message, so the folders exist by then, and only where they are used.
    """
    if source.broker_url != "filesystem://":
        return
    options = source.broker_transport_options or {}
    for key in FILE_SYSTEM_BROKER_FOLDERS:
        if options.get(key):
            Path(options[key]).mkdir(parents=True, exist_ok=True)
