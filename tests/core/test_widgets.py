"""QuickSelect writes exactly the HTML Django's Select writes."""

import pytest
from django import forms

from core.widgets import QuickSelect

CHOICES = [("", "Every status"), ("draft", "Draft"), ("a&b", 'Quotes " and <tags>')]
GROUPED = [("", "None"), ("Group <1>", [("x", "X"), ("y", "Y")]), ("z", "Z")]


@pytest.mark.parametrize("choices", [CHOICES, GROUPED, [(1, "One"), (2, "Two")]])
@pytest.mark.parametrize("value", [None, "", "draft", "a&b", "y", 2, "unknown"])
@pytest.mark.parametrize(
    "attrs",
    [
        None,
        {"id": "id_status"},
        {"id": "id_s", "class": "form-select is-invalid", "aria-invalid": "true", "required": True},
        {"disabled": False, "data-x": 'a"b'},
    ],
)
def test_the_html_is_django_s_own(choices, value, attrs):
    ours = QuickSelect(choices=choices, attrs={"class": "form-select"})
    django = forms.Select(choices=choices, attrs={"class": "form-select"})
    assert ours.render("status", value, attrs) == django.render("status", value, attrs)


def test_a_bound_form_field_renders_the_same(rf):
    class Ours(forms.Form):
        status = forms.ChoiceField(choices=CHOICES, required=False, widget=QuickSelect)

    class Theirs(forms.Form):
        status = forms.ChoiceField(choices=CHOICES, required=False)

    for data in ({"status": "draft"}, {"status": "lost"}, None):
        assert str(Ours(data)["status"]) == str(Theirs(data)["status"])
