"""A form renderer that writes inputs, text areas and labels in Python, as Django's templates do.

Django renders every widget and label through its form templates: a context, an include of
`attrs.html`, a template lookup and a render each. On the reviewers' change view, about two
dozen inputs and labels (the verified facts, the triage form, the note form) were a quarter of
the page's time, and its two selects (the reviewer to assign, the LEA type) a tenth more.
`PLAIN_INPUTS` writes the same markup directly for the templates below and hands every other
template (radio and checkbox lists, form layouts, error lists) to Django's own renderer.
"""

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeData, mark_safe

# The widgets whose template is only `{% include "django/forms/widgets/input.html" %}`.
INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in (
        "checkbox",
        "color",
        "date",
        "datetime",
        "email",
        "file",
        "hidden",
        "number",
        "password",
        "search",
        "tel",
        "text",
        "time",
        "url",
    )
)
TEXTAREA_TEMPLATE = "django/forms/widgets/textarea.html"
LABEL_TEMPLATE = "django/forms/label.html"
# Select and SelectMultiple (a `multiple` attribute), and the option template they include.
SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


def _formatted(value) -> str:
    """Return `{{ value|stringformat:"s" }}`: the value as text, escaped unless marked safe."""
    text = "%s" % (str(value) if isinstance(value, tuple) else value)  # noqa: UP031
    return text if isinstance(value, SafeData) else escape(text)


def attrs_markup(attrs) -> str:
    """Return django/forms/widgets/attrs.html (and forms/attrs.html): ` name="value"` each."""
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{_formatted(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget) -> str:
    value = widget["value"]
    shown = f' value="{_formatted(value)}"' if value is not None else ""
    return (
        f'<input type="{conditional_escape(widget["type"])}"'
        f' name="{conditional_escape(widget["name"])}"{shown}{attrs_markup(widget["attrs"])}>'
    )


def _textarea(widget) -> str:
    value = widget["value"]
    text = conditional_escape(value) if value else ""
    return (
        f'<textarea name="{conditional_escape(widget["name"])}"{attrs_markup(widget["attrs"])}>\n'
        f"{text}</textarea>"
    )


def _option(option) -> str:
    return (
        f'<option value="{_formatted(option["value"])}"{attrs_markup(option["attrs"])}>'
        f"{conditional_escape(option['label'])}</option>"
    )


def _select(widget) -> str | None:
    """Return select.html's markup; None for an option of a template of its own."""
    parts = [f'<select name="{conditional_escape(widget["name"])}"{attrs_markup(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in group_choices:
            if option["template_name"] != OPTION_TEMPLATE:
                return None
            # The template includes the option's template, whose file ends with a newline.
            parts.append(f"\n  {_option(option)}\n")
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _label(context) -> str:
    label = conditional_escape(context["label"])
    if not context["use_tag"]:
        return label
    tag = conditional_escape(context["tag"])
    return f"<{tag}{attrs_markup(context['attrs'])}>{label}</{tag}>"


class PlainInputRenderer(DjangoTemplates):
    """Django's default renderer, with inputs, text areas and labels written directly."""

    def render(self, template_name, context, request=None):
        html = None
        if template_name in INPUT_TEMPLATES:
            html = _input(context["widget"])
        elif template_name == TEXTAREA_TEMPLATE:
            html = _textarea(context["widget"])
        elif template_name == LABEL_TEMPLATE:
            html = _label(context)
        elif template_name == SELECT_TEMPLATE:
            html = _select(context["widget"])
        if html is None:
            return super().render(template_name, context, request)
        # Stripped as BaseRenderer.render strips a template's output.
        return mark_safe(html.strip())  # noqa: S308 (every part escaped above)


# One instance for every form that uses it: its template engine (for the rest) is made once.
PLAIN_INPUTS = PlainInputRenderer()
