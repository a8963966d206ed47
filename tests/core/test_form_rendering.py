"""The plain input renderer writes exactly the markup Django's form templates write."""

import datetime

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from core.form_rendering import PLAIN_INPUTS


class EveryInputForm(forms.Form):
    agreed = forms.BooleanField(required=False, help_text="Tick if <so>.")
    refused = forms.BooleanField(required=False, label="Refused & why")
    name = forms.CharField(max_length=20, initial='O\'Brien "&" <Co>')
    empty = forms.CharField(required=False)
    months = forms.IntegerField(min_value=0, initial=3)
    email = forms.EmailField(required=False, widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    url = forms.URLField(required=False, assume_scheme="https")
    secret = forms.CharField(required=False, widget=forms.PasswordInput)
    version = forms.IntegerField(widget=forms.HiddenInput, initial=7)
    when = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    at = forms.DateTimeField(required=False, initial=datetime.datetime(2026, 12, 1, 16, 5))
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), initial="Line 1\n<b>2</b>")
    note = forms.CharField(required=False, widget=forms.Textarea)
    upload = forms.FileField(required=False)
    safe = forms.CharField(required=False, initial=mark_safe("<i>kept</i>"))
    colour = forms.CharField(required=False, widget=forms.TextInput(attrs={"type": "color"}))
    disabled = forms.CharField(required=False, disabled=True, initial="fixed")


def rendered(form) -> list[str]:
    parts = []
    for field in form:
        parts += [
            str(field),
            field.label_tag(),
            field.label_tag(label_suffix=""),
            field.legend_tag(),
        ]
    return parts


@pytest.mark.parametrize(
    "data",
    [None, {"agreed": "on", "name": "<x>", "months": "-1", "version": "8", "body": ""}],
    ids=["unbound", "bound with errors"],
)
def test_every_input_and_label_is_the_templates_markup(data):
    django_form = EveryInputForm(data, renderer=DjangoTemplates(), auto_id="id_%s")
    plain_form = EveryInputForm(data, renderer=PLAIN_INPUTS, auto_id="id_%s")
    if data:
        assert not plain_form.is_valid() and not django_form.is_valid()

    assert rendered(plain_form) == rendered(django_form)
    assert str(plain_form) == str(django_form)


def test_a_label_without_an_id_is_the_text_alone():
    django_form = EveryInputForm(renderer=DjangoTemplates(), auto_id=False)
    plain_form = EveryInputForm(renderer=PLAIN_INPUTS, auto_id=False)

    assert rendered(plain_form) == rendered(django_form)


class EverySelectForm(forms.Form):
    pick = forms.ChoiceField(choices=[("", "---"), ("a", "A & B"), ("b", "<B>")], initial="b")
    grouped = forms.ChoiceField(
        choices=[("Group & 1", [("1", "One"), ("2", "Two")]), ("3", "Three")], initial="2"
    )
    many = forms.MultipleChoiceField(choices=[(1, "x"), (2, "y"), (3, "z")], initial=[1, 3])
    nothing = forms.ChoiceField(choices=[], required=False)
    safe = forms.ChoiceField(choices=[("s", mark_safe("<i>kept</i>"))], required=False)
    sized = forms.ChoiceField(
        choices=[("a", "A")], widget=forms.Select(attrs={"class": "wide", "disabled": True})
    )


@pytest.mark.parametrize(
    "data",
    [None, {"pick": "zz", "grouped": "1", "many": ["2", "9"]}],
    ids=["unbound", "bound with errors"],
)
def test_every_select_and_its_options_are_the_templates_markup(data):
    django_form = EverySelectForm(data, renderer=DjangoTemplates())
    plain_form = EverySelectForm(data, renderer=PLAIN_INPUTS)
    if data:
        assert not plain_form.is_valid() and not django_form.is_valid()

    assert rendered(plain_form) == rendered(django_form)
    assert str(plain_form) == str(django_form)
    picked = " selected" if data is None else ""
    assert f'<option value="b"{picked}>&lt;B&gt;</option>' in str(plain_form["pick"])


def test_other_templates_are_djangos_own():
    class PickForm(forms.Form):
        pick = forms.ChoiceField(
            choices=[("a", "A & B"), ("b", "<B>")], initial="b", widget=forms.RadioSelect
        )

    plain = PickForm(renderer=PLAIN_INPUTS)

    assert str(plain["pick"]) == str(PickForm(renderer=DjangoTemplates())["pick"])
    assert "&lt;B&gt;</label>" in str(plain["pick"])


def test_an_option_of_a_template_of_its_own_leaves_the_select_to_django():
    class OwnOption(forms.Select):
        option_template_name = "django/forms/widgets/input_option.html"

    class PickForm(forms.Form):
        pick = forms.ChoiceField(choices=[("a", "A")], widget=OwnOption)

    plain = str(PickForm(renderer=PLAIN_INPUTS)["pick"])

    assert plain == str(PickForm(renderer=DjangoTemplates())["pick"])
    assert '<input type="select" name="pick" value="a"' in plain


def test_selects_inputs_and_labels_are_written_without_a_template(form_templates_used):
    form = EverySelectForm(renderer=PLAIN_INPUTS)
    for field in form:
        str(field), field.label_tag()

    assert form_templates_used == []
