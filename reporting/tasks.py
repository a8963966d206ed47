"""Celery task: the portal's own work counted as direct support (beat runs it, see settings)."""

from celery import shared_task

from .services import portal_support_count


@shared_task
def count_portal_support_task():
    """Count verified requests and engagements under way as DTA support, once per quarter."""
    return portal_support_count()
