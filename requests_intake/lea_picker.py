"""The searchable LEA picker of sign-up and "Ask to join an LEA".

Without scripts it is a search box with a Search button: the form comes back with the matching
agencies as radio buttons, what was typed kept (passwords excepted). With scripts, htmx asks
`lea_search` as the person types and swaps the results in place. Either way the chosen LEA is
the `lea` field, a ModelChoiceField over the active directory, so a forged or closed LEA is
refused like any bad choice.
"""

from dataclasses import dataclass

from django import forms

from . import lea_search
from .models import LocalEducationalAgency

QUERY_FIELD = "lea_q"
SEARCH_BUTTON = "lea_search"
NOT_CHOSEN = "Search for your LEA above, then choose it from the results."


def describe(lea) -> str:
    place = f", {lea.city}" if lea.city else ""
    return f"{lea.get_lea_type_display()}{place}, {lea.county} County · CDS {lea.cds_code}"


@dataclass
class Picker:
    """What the picker shows: the words searched, the results, the LEA chosen so far."""

    label: str
    result: lea_search.SearchResult | None
    selected: LocalEducationalAgency | None
    locked: bool = False  # an invitation names the LEA

    @property
    def query(self) -> str:
        return self.result.query if self.result else ""

    @property
    def options(self) -> list:
        leas = list(self.result.leas) if self.result else []
        if self.selected is not None and self.selected not in leas:
            leas.insert(0, self.selected)
        return [(lea, describe(lea)) for lea in leas]


def selected_lea(value):
    """Return the active LEA whose id is `value`, or None."""
    if not str(value or "").isdigit():
        return None
    return lea_search.active_leas().filter(pk=int(value)).first()


def build_picker(*, label, data=None, query="", lea=None, locked=False) -> Picker:
    """Return the picker for a form's data (a search, a choice) or an LEA given beforehand."""
    if data is not None:
        query = data.get(QUERY_FIELD, "")
        lea = lea or selected_lea(data.get("lea"))
    result = lea_search.search_leas(query) if query else None
    return Picker(label=label, result=result, selected=lea, locked=locked)


class LeaPickerMixin:
    """A form whose `lea` field is chosen with the picker; `self.picker` renders it."""

    lea_label = "Your local educational agency"

    def init_picker(self, *, searching=False, lea=None, locked=False):
        data = self.data if (self.is_bound or searching) else None
        self.picker = build_picker(
            label=self.lea_label, data=data if data else None, lea=lea, locked=locked
        )
        self.fields["lea"].error_messages["required"] = NOT_CHOSEN
        self.fields["lea"].error_messages["invalid_choice"] = NOT_CHOSEN


def lea_field(**kwargs):
    """Return the `lea` field: any active LEA, by id (the picker renders it, not the widget)."""
    return forms.ModelChoiceField(
        queryset=lea_search.active_leas(), widget=forms.HiddenInput, **kwargs
    )


def is_search(request) -> bool:
    """Whether a POST asks for the picker's results rather than submitting the form.

    The Search button, or Enter pressed with words typed and no LEA chosen yet.
    """
    post = request.POST
    return SEARCH_BUTTON in post or (
        bool(post.get(QUERY_FIELD, "").strip()) and not post.get("lea")
    )
