"""`{{ value|format_date:"M j, Y" }}`: what the `date` filter writes, faster (core/dates.py)."""

from django import template

from core.dates import format_date as _format_date

register = template.Library()


@register.filter(expects_localtime=True, is_safe=False)
def format_date(value, arg=None):
    """Format a date or datetime as the `date` filter does with the same format."""
    return _format_date(value, arg)
