"""The changelist's rows written in one pass per row, with the markup Django's admin writes.

Django's `items_for_result` looks each column up again for every row (`lookup_field`), formats
each cell through `format_html`, reverses and rewrites the change link per row, and the results
template then renders every cell as a variable of its own: at 50 rows of 11 columns, about a
third of a light changelist's time. `plain_results` decides once per page how each column is
read and written, and gives the template one piece of markup per row.

It covers the columns a plain changelist has: the action checkbox written by
`PlainActionCheckboxMixin`, the ModelAdmin's own display methods (not boolean ones), and model
fields that are neither relations, dates, times nor booleans (with their choices' labels). For
any other column, or a changelist with editable rows, it returns None and the admin's own
rendering is used, unchanged.
"""

from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import quote
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe

from .admin_mixins import PlainActionCheckboxMixin

# Stands for a row's primary key in the change link reversed once per page.
PK_PLACEHOLDER = "__row_pk__"
UNSUPPORTED_FIELDS = (
    models.DateField,
    models.TimeField,
    models.BooleanField,
    models.ForeignKey,
    models.ManyToManyField,
)


def _column_reader(cl, field_name):
    """Return (read(obj) -> markup, css class) for a column, or None for the admin's rendering."""
    model_admin = cl.model_admin
    empty = model_admin.get_empty_value_display()
    if field_name == "action_checkbox":
        if not isinstance(model_admin, PlainActionCheckboxMixin):
            return None
        return model_admin.action_checkbox, "action-checkbox"
    if not isinstance(field_name, str):
        return None
    try:
        field = cl.lookup_opts.get_field(field_name)
    except FieldDoesNotExist:
        attr = getattr(model_admin, field_name, None)
        if not callable(attr) or getattr(attr, "boolean", False) or hasattr(cl.model, field_name):
            return None
        empty = getattr(attr, "empty_value_display", empty)
        return _method_reader(attr, empty), f"field-{field_name}"
    if field.is_relation or isinstance(field, UNSUPPORTED_FIELDS):
        return None
    return _field_reader(field, empty), f"field-{field_name}"


def _method_reader(method, empty):
    """Read a display method's value as display_for_value shows a str (empty: the empty mark)."""

    def read(obj):
        try:
            value = method(obj)
        except ObjectDoesNotExist:
            return conditional_escape(empty)
        if value is None or (isinstance(value, str) and not value.strip()):
            return conditional_escape(empty)
        if isinstance(value, str):
            return conditional_escape(value)
        return None  # another type: the admin formats it (numbers, dates, lists)

    return read


def _field_reader(field, empty):
    """Read a model field's value as display_for_field shows it (a choice by its label)."""
    # The labels as text once a page, not a lazy translation cast on every row.
    choices = {value: str(label) for value, label in field.flatchoices} or None
    empty = str(empty)
    name = field.attname

    def read(obj):
        value = getattr(obj, name)
        if isinstance(value, str) and not value.strip():
            value = ""
        if choices is not None:
            return conditional_escape(choices.get(value, empty))
        if value is None or value == "":
            return conditional_escape(empty)
        if isinstance(value, str):
            return escape(value)
        return None

    return read


def _change_link(cl):
    """Return the escaped change link with PK_PLACEHOLDER for the row's key (None: no link)."""
    if type(cl).url_for_result is not ChangeList.url_for_result:
        return None  # a changelist of its own links: the admin's rendering asks it per row
    opts = cl.opts
    try:
        url = reverse(
            f"admin:{opts.app_label}_{opts.model_name}_change",
            args=(PK_PLACEHOLDER,),
            current_app=cl.model_admin.admin_site.name,
        )
    except NoReverseMatch:
        return None
    return escape(
        add_preserved_filters({"preserved_filters": cl.preserved_filters, "opts": opts}, url)
    )


def plain_results(cl):
    """Return the changelist's rows (each a list holding one row's cells), or None.

    None when a column, the page (popup, editable rows, a link to a custom field) or a value
    needs the admin's own rendering.
    """
    if cl.formset or cl.is_popup or cl.to_field or cl.list_display_links is None:
        return None
    columns = []
    first_link = True
    for field_name in cl.list_display:
        reader = _column_reader(cl, field_name)
        if reader is None:
            return None
        read, css = reader
        links = field_name in cl.list_display_links or (first_link and not cl.list_display_links)
        tag = "td"
        if links:
            tag, first_link = ("th" if first_link else "td"), False
        columns.append((read, tag, css, links))
    link = _change_link(cl) if any(links for *_, links in columns) else None
    if link is None and any(links for *_, links in columns):
        return None
    pk_name = cl.lookup_opts.pk.attname
    rows = []
    for obj in cl.result_list:
        cells = []
        for read, tag, css, links in columns:
            html = read(obj)
            if html is None:
                return None
            if links:
                url = link.replace(PK_PLACEHOLDER, escape(quote(getattr(obj, pk_name))))
                html = f'<a href="{url}">{html}</a>'
            cells.append(f'<{tag} class="{css}">{html}</{tag}>')
        rows.append([mark_safe("".join(cells))])  # noqa: S308 (every part escaped above)
    return rows
