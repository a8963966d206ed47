"""Values that end up in email headers (LEA names, people's names and titles) are checked where
they are entered: a line break in one would split a header (Django refuses to send it with
BadHeaderError), and other control characters have no place in a name.

`validate_header_value` is a Django validator: model fields list it, so every ModelForm and the
admin apply it; plain forms and imports call it too. Email addresses are already refused with a
line break by Django's EmailValidator.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

# C0 and C1 controls (line breaks and tabs among them), DEL, and the Unicode line and paragraph
# separators, which some mail software also treats as line ends.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def header_value_problem(value: str) -> str | None:
    """Return why the value cannot go into an email header, or None when it can."""
    if value and _CONTROL.search(value):
        return (
            "Use one line of letters, numbers, spaces and punctuation: line breaks, tabs and "
            "other control characters cannot be used here, as it is shown in emails."
        )
    return None


@deconstructible
class HeaderValueValidator:
    """Refuse line breaks and control characters in a value bound for email headers."""

    code = "header_value"

    def __call__(self, value):
        problem = header_value_problem(str(value or ""))
        if problem:
            raise ValidationError(problem, code=self.code)

    def __eq__(self, other):
        return isinstance(other, HeaderValueValidator)

    def __hash__(self):
        return hash(HeaderValueValidator)


validate_header_value = HeaderValueValidator()
