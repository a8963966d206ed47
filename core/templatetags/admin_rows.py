"""`{% plain_result_list cl %}`: the admin's `{% result_list cl %}`, its rows written in one pass.

The same context and template as Django's tag (admin/change_list_results.html); only the rows
come from core.admin_rows.plain_results when every column allows it.
"""

from django import template
from django.contrib.admin.templatetags import admin_list

from core.admin_rows import plain_results

register = template.Library()


@register.inclusion_tag("admin/change_list_results.html")
def plain_result_list(cl):
    """Return admin_list.result_list's context, with the rows from plain_results if it can."""
    headers = list(admin_list.result_headers(cl))
    rows = plain_results(cl)
    return {
        "cl": cl,
        "result_hidden_fields": list(admin_list.result_hidden_fields(cl)),
        "result_headers": headers,
        "num_sorted_fields": sum(1 for h in headers if h["sortable"] and h["sorted"]),
        "results": rows if rows is not None else list(admin_list.results(cl)),
    }
