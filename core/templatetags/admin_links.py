"""`{% admin_object_links original %}`: the links other apps registered for this object."""

from django import template
from django.contrib import admin

register = template.Library()


@register.inclusion_tag("admin/core/object_links.html", takes_context=True)
def admin_object_links(context, obj):
    return {"links": admin.site.object_links_for(context["request"].user, obj)}
