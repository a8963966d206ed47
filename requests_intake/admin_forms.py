"""The forms of the reviewers' admin: assigning, the verified facts, the triage fields."""

from django import forms

from core import roles
from core.admin_lifecycle import DescribedErrorsMixin
from eligibility import rules

from . import permissions
from .models import AssistanceRequest


def reviewers_queryset():
    """Return the active people who may take a request (they hold the verify permission)."""
    return roles.users_holding(permissions.VERIFY).order_by("full_name", "email")


class ReviewerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name()


class AssignForm(DescribedErrorsMixin, forms.Form):
    assignee = ReviewerChoiceField(
        queryset=None,
        label="Assign to",
        empty_label="Nobody (unassigned)",
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = reviewers_queryset()


class VerifiedFactsForm(forms.Form):
    """The eligibility facts as the reviewer verified them (pre-filled with the attested ones)."""

    lea_type = forms.ChoiceField(
        label=rules.FACT_LABELS["lea_type"],
        choices=[(k, v.capitalize()) for k, v in rules.LEA_TYPE_LABELS.items()],
    )
    estimated_months = forms.IntegerField(
        label=rules.FACT_LABELS["estimated_months"],
        min_value=rules.MIN_MONTHS,
        max_value=rules.MAX_MONTHS,
    )
    partner_county_office = forms.BooleanField(
        required=False, label=rules.FACT_LABELS["partners.county_office"]
    )
    partner_geographic_lead = forms.BooleanField(
        required=False, label=rules.FACT_LABELS["partners.geographic_lead"]
    )
    partners_other = forms.CharField(
        required=False,
        label=rules.FACT_LABELS["partners.other"],
        help_text="One partner per line.",
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
    )
    data_override_reason = forms.CharField(
        required=False,
        label="Reason for recording a fact other than the state's data says",
        help_text="Needed only when a fact differs from the state's data; kept with the request.",
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
    )
    triage_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # One checkbox per yes-or-no fact the rules know, labelled as eligibility labels it.
        for name in rules.BOOLEAN_FIELDS:
            self.fields[name] = forms.BooleanField(required=False, label=rules.FACT_LABELS[name])
        self.order_fields(["lea_type", *rules.BOOLEAN_FIELDS])

    @classmethod
    def initial_for(cls, req, attested_facts) -> dict:
        facts = req.verified_facts or attested_facts
        partners = facts.get("partners", {})
        initial = {name: facts.get(name, False) for name in rules.BOOLEAN_FIELDS}
        initial.update(
            lea_type=facts.get("lea_type"),
            estimated_months=facts.get("estimated_months"),
            partner_county_office=partners.get("county_office", False),
            partner_geographic_lead=partners.get("geographic_lead", False),
            partners_other="\n".join(partners.get("other", [])),
            data_override_reason=req.data_override_reason,
            triage_version=req.triage_version,
        )
        return initial

    def facts(self) -> dict:
        data = self.cleaned_data
        facts = {name: data[name] for name in rules.BOOLEAN_FIELDS}
        facts.update(
            lea_type=data["lea_type"],
            estimated_months=data["estimated_months"],
            partners={
                "county_office": data["partner_county_office"],
                "geographic_lead": data["partner_geographic_lead"],
                "other": [n.strip() for n in data["partners_other"].splitlines() if n.strip()],
            },
        )
        return facts


class TriageForm(forms.ModelForm):
    """The triage fields a reviewer edits, with the triage version the form was based on."""

    seen_triage_version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = AssistanceRequest
        fields = ["assigned_to"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["seen_triage_version"].initial = self.instance.triage_version
        if "assigned_to" in self.fields:
            self.fields["assigned_to"].label_from_instance = lambda u: u.get_full_name()
