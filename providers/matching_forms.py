"""The forms of the candidates, unassignment and cohort pages (admin)."""

from django import forms
from django.core.validators import MaxValueValidator

MAX_DAYS = 365


class AssignRowForm(forms.Form):
    """One ticked candidate of the candidates page: its role and the days committed."""

    role = forms.CharField(max_length=120, required=True, strip=True)
    days_committed = forms.IntegerField(min_value=1, validators=[MaxValueValidator(MAX_DAYS)])

    def __init__(self, *args, provider_id, provider_name="", **kwargs):
        super().__init__(*args, prefix=f"p{provider_id}", **kwargs)
        self.fields["role"].widget.attrs["aria-label"] = f"Role of {provider_name}".strip()
        self.fields["days_committed"].widget.attrs.update(
            {"aria-label": f"Days committed by {provider_name}".strip(), "class": "vIntegerField"}
        )
        self.fields["role"].error_messages["required"] = "Give the provider's role."
        self.fields["days_committed"].error_messages["required"] = "Give the days committed."


class UnassignForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Why the assignment ends",
        error_messages={"required": "Say why the assignment ends."},
    )


class CohortForm(forms.Form):
    name = forms.CharField(max_length=200, error_messages={"required": "Give the cohort a name."})
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
