"""The forms of the reviewers' admin: assigning, the verified facts, the triage fields."""

from django import forms
from django.utils import timezone

from core import roles
from core.admin_lifecycle import DescribedErrorsMixin
from core.form_rendering import PLAIN_INPUTS
from core.querysets import built_once
from eligibility import rules

from . import permissions
from .drafts import SECTIONS
from .models import AssistanceRequest


@built_once
def reviewers_queryset():
    """Return the active people who may take a request (they hold the verify permission).

    Built once a process (core.querysets): building it, three nested querysets, was half of
    its cost on every change view.
    """
    return roles.users_holding(permissions.VERIFY).order_by("full_name", "email")


class ListedChoiceIterator(forms.models.ModelChoiceIterator):
    """Read the choices with one plain query.

    Django's iterator reads them through QuerySet.iterator(), which on PostgreSQL opens a
    server-side cursor (DECLARE … WITH HOLD, FETCH, CLOSE): several round trips and a result
    kept past the commit, for a list of a few reviewers that fits in one fetch.
    """

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class ReviewerChoiceField(forms.ModelChoiceField):
    """A reviewer, by name, among reviewers_queryset() (read in one plain query)."""

    iterator = ListedChoiceIterator

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

    # Shown on every change view: its inputs and labels written directly, the same markup.
    default_renderer = PLAIN_INPUTS

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

    default_renderer = PLAIN_INPUTS
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


class InformationRequestForm(DescribedErrorsMixin, forms.Form):
    """What a reviewer asks the LEA: the message, the sections to change, and when by.

    The sections become links on the LEA's panel (and an upload box where evidence is asked
    for); the answer-by date is shown to the LEA, and the clock sweep reminds the LEA the day
    before and once it passes.
    """

    # Named as every transition's reason field is, so the page and bulk action read alike.
    reason = forms.CharField(
        label="Message to the LEA: what to add or change",
        widget=forms.Textarea(attrs={"rows": 6, "cols": 80}),
        strip=True,
        error_messages={
            "required": "Write the reason: the LEA reads it, and it is kept in the request's "
            "history."
        },
    )
    sections = forms.MultipleChoiceField(
        label="Sections the LEA should change",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Each becomes a link on the LEA's request page.",
    )
    respond_by = forms.DateField(
        label="Answer by (optional)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Shown to the LEA; a reminder goes out the day before and when it passes.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sections"].choices = [
            (slug, label) for slug, label in SECTIONS.items() if slug != "review"
        ]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "message": data["reason"],
            "sections": data["sections"],
            "respond_by": data["respond_by"],
        }

    def clean_respond_by(self):
        value = self.cleaned_data["respond_by"]
        if value is not None and value <= timezone.localdate():
            raise forms.ValidationError("Choose a date after today for the LEA's answer.")
        return value
