"""US phone numbers, as every form that asks for one checks and stores them.

One library reads them (phonenumbers, Google's libphonenumber data): a number is accepted when
it is a valid United States number, written however people write it ("510 555 0142",
"(510) 555-0142", "+1 510-555-0142", "510.555.0142 ext. 12"), and stored in one national form,
"(510) 555-0142" (with " ext. 12" when an extension was given). Stored values from before this
check are left as they were; a form that shows one asks for a valid number when it is saved.
"""

import phonenumbers
from django import forms
from django.core.exceptions import ValidationError

INVALID = "Enter a US phone number with its area code, such as (510) 555-0142."
NOT_US = "Enter a United States phone number (area code and seven digits)."
MAX_LENGTH = 40


def parse_us_phone(value: str) -> phonenumbers.PhoneNumber:
    """Return the number `value` names; raise ValidationError unless it is a valid US number."""
    text = (value or "").strip()
    try:
        number = phonenumbers.parse(text, "US")
    except phonenumbers.NumberParseException as error:
        raise ValidationError(INVALID, code="invalid_phone") from error
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(INVALID, code="invalid_phone")
    if phonenumbers.region_code_for_number(number) != "US":
        raise ValidationError(NOT_US, code="not_us_phone")
    return number


def format_us_phone(number: phonenumbers.PhoneNumber) -> str:
    """Return the stored form: "(510) 555-0142", with " ext. 12" for an extension."""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


def normalise_us_phone(value: str) -> str:
    """Return `value` in the stored form (empty stays empty); raise ValidationError if invalid."""
    if not (value or "").strip():
        return ""
    return format_us_phone(parse_us_phone(value))


def normalised_or_unchanged(value: str) -> str:
    """Return `value` in the stored form when it is a valid US number, else `value` itself.

    For migrations of stored data: an old value that is not a number stays as it was.
    """
    try:
        return normalise_us_phone(value)
    except ValidationError:
        return value


class USPhoneField(forms.CharField):
    """A form field taking a US phone number and cleaning it to the stored form."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", MAX_LENGTH)
        kwargs.setdefault("required", False)
        widget = kwargs.pop("widget", None) or forms.TextInput()
        widget.attrs.setdefault("autocomplete", "tel")
        widget.attrs.setdefault("inputmode", "tel")
        super().__init__(widget=widget, **kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs["type"] = "tel"
        return attrs

    def clean(self, value):
        value = super().clean(value)
        return normalise_us_phone(value)


class PhoneAdminMixin:
    """A ModelAdmin whose `phone_fields` take a US number (checked, stored in the one form)."""

    phone_fields = ("phone",)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in self.phone_fields:
            return USPhoneField(
                label=db_field.verbose_name.capitalize(),
                required=not db_field.blank,
                help_text="A US number with its area code, such as (510) 555-0142.",
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)
