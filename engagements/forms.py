"""Forms of the engagement pages: parse and check what a person types; the services write."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from core.admin_lifecycle import DescribedErrorsMixin
from requests_intake.attachments import ACCEPT_ATTRIBUTE, ACCEPTED_DESCRIPTION, check_upload

from . import dashboard
from .models import DeliverableStatus, Indicator

DATE = forms.DateInput(attrs={"type": "date"})


class PortalForm(DescribedErrorsMixin, forms.Form):
    """Bootstrap classes on every widget; invalid fields point at their messages."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.RadioSelect):
                continue
            css = (
                "form-check-input"
                if isinstance(field.widget, forms.CheckboxInput)
                else ("form-select" if isinstance(field.widget, forms.Select) else "form-control")
            )
            field.widget.attrs.setdefault("class", css)

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields and "class" in self.fields[name].widget.attrs:
                self.fields[name].widget.attrs["class"] += " is-invalid"


def _text(label, rows=4, required=True, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        strip=True,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class IndicatorForm(PortalForm):
    dashboard_indicator = forms.ChoiceField(
        label="California School Dashboard indicator",
        choices=dashboard.CHOICES,
        required=False,
        help_text="Choose one to fill in its name, unit and data source, or write your own.",
    )
    name = forms.CharField(max_length=200, required=False)
    kind = forms.ChoiceField(
        choices=Indicator.Kind.choices, initial=Indicator.Kind.STUDENT_LEARNING
    )
    unit = forms.CharField(
        max_length=60, required=False, help_text="For example: % proficient, points."
    )
    data_source = forms.CharField(max_length=200, required=False)
    baseline_value = forms.DecimalField(max_digits=12, decimal_places=2)
    baseline_date = forms.DateField(widget=DATE)
    target_value = forms.DecimalField(max_digits=12, decimal_places=2)
    target_date = forms.DateField(widget=DATE)
    cadence = forms.ChoiceField(
        choices=Indicator.Cadence.choices, initial=Indicator.Cadence.QUARTERLY
    )
    student_group = forms.CharField(
        max_length=120, required=False, help_text="Optional: the student group it is measured for."
    )

    def clean(self):
        data = super().clean()
        ready = dashboard.BY_CODE.get(data.get("dashboard_indicator") or "")
        if ready is not None:
            for name in ("name", "unit", "data_source"):
                if not data.get(name):
                    data[name] = getattr(ready, name)
            data["kind"] = ready.kind
        for name, label in [
            ("name", "the name"),
            ("unit", "the unit"),
            ("data_source", "the data source"),
        ]:
            if not data.get(name):
                self.add_error(name, f"Give {label}, or choose a Dashboard indicator.")
        baseline, target = data.get("baseline_date"), data.get("target_date")
        if baseline and target and target <= baseline:
            self.add_error("target_date", "The target date must be after the baseline date.")
        if data.get("baseline_value") is not None and data.get("baseline_value") == data.get(
            "target_value"
        ):
            self.add_error("target_value", "The target must differ from the baseline.")
        return data

    def service_kwargs(self) -> dict:
        fields = dict(self.cleaned_data)
        fields["dashboard_indicator"] = fields.get("dashboard_indicator") or ""
        return fields


class TeamMemberForm(PortalForm):
    name = forms.CharField(max_length=150)
    role = forms.CharField(
        max_length=150, help_text="For example: principal, ELA coach, data lead."
    )
    email = forms.EmailField(
        help_text="A member of the LEA is linked to their account; anyone else is invited."
    )


class ProblemForm(PortalForm):
    text = _text(
        "Problem of practice", rows=5, help_text="Precise and small enough to be workable."
    )
    reason = _text("Why does it change?", rows=2)


class TheoryForm(PortalForm):
    actions = _text("If we (actions)", rows=3)
    practice_changes = _text("then practice changes (teachers, leaders)", rows=3)
    student_outcomes = _text("then, for students", rows=3)
    reason = _text("Why does it change?", rows=2)


class ProblemCheckForm(PortalForm):
    of_interest = forms.BooleanField(required=False, label="It is of interest to the district")
    workable = forms.BooleanField(
        required=False, label="It is precise and small enough to be workable"
    )
    important = forms.BooleanField(
        required=False, label="It is important enough to yield considerable improvement if solved"
    )
    note = _text("Note (required when a test is not met)", rows=2, required=False)

    def clean(self):
        data = super().clean()
        passed = data.get("of_interest") and data.get("workable") and data.get("important")
        if not passed and not data.get("note"):
            self.add_error("note", "Say what the problem of practice lacks.")
        return data


class ReportForm(PortalForm):
    """The narrative, a measurement per indicator due, each deliverable's status, an attachment."""

    done = _text("What was done", required=False)
    struggling = _text("What is struggling", required=False)
    changes = _text("What changes", required=False)
    attachment = forms.FileField(
        required=False,
        help_text=f"Optional: {ACCEPTED_DESCRIPTION}, checked by its content.",
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
    )

    def __init__(self, *args, report, indicators, deliverables, **kwargs):
        self.report, self.indicators, self.deliverables = report, indicators, deliverables
        measured = {m.indicator_id: m for m in report.measurements.all()}
        statuses = {s.deliverable_id: s for s in report.deliverable_statuses.all()}
        initial = kwargs.setdefault("initial", {})
        initial.update(done=report.done, struggling=report.struggling, changes=report.changes)
        super().__init__(*args, **kwargs)
        for indicator in indicators:
            m = measured.get(indicator.pk)
            self.fields[f"value_{indicator.pk}"] = forms.DecimalField(
                label=f"{indicator.name} ({indicator.unit})",
                required=False,
                max_digits=12,
                decimal_places=2,
                initial=m.value if m else None,
                widget=forms.NumberInput(attrs={"class": "form-control", "step": "any"}),
            )
            self.fields[f"date_{indicator.pk}"] = forms.DateField(
                label=f"Measured on ({indicator.name})",
                required=False,
                initial=m.measured_on if m else report.period_end,
                widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}),
            )
        for deliverable in deliverables:
            s = statuses.get(deliverable.pk)
            self.fields[f"state_{deliverable.pk}"] = forms.ChoiceField(
                label=deliverable.title,
                choices=DeliverableStatus.State.choices,
                initial=s.state if s else DeliverableStatus.State.NOT_STARTED,
                widget=forms.Select(attrs={"class": "form-select"}),
            )
            self.fields[f"dnote_{deliverable.pk}"] = forms.CharField(
                label=f"Note on “{deliverable.title}”",
                required=False,
                max_length=300,
                initial=s.note if s else "",
                widget=forms.TextInput(attrs={"class": "form-control"}),
            )

    def measurement_fields(self):
        return [(i, self[f"value_{i.pk}"], self[f"date_{i.pk}"]) for i in self.indicators]

    def deliverable_fields(self):
        return [(d, self[f"state_{d.pk}"], self[f"dnote_{d.pk}"]) for d in self.deliverables]

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        return check_upload(upload) if upload else None

    def clean(self):
        data = super().clean()
        for indicator in self.indicators:
            value, on = data.get(f"value_{indicator.pk}"), data.get(f"date_{indicator.pk}")
            if value is not None and on is None:
                self.add_error(f"date_{indicator.pk}", "Give the date of the measurement.")
            if on is not None and value is not None and on < indicator.baseline_date:
                self.add_error(
                    f"date_{indicator.pk}", "The measurement is older than the baseline."
                )
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "narrative": {k: data.get(k, "") for k in ("done", "struggling", "changes")},
            "measurements": {
                i: (data.get(f"value_{i.pk}"), data.get(f"date_{i.pk}"), "")
                for i in self.indicators
            },
            "deliverables": {
                d: (data[f"state_{d.pk}"], data.get(f"dnote_{d.pk}", "")) for d in self.deliverables
            },
            "uploads": [data["attachment"]] if data.get("attachment") else [],
        }


class CloseoutForm(PortalForm):
    sustainability = _text(
        "What the district will sustain",
        rows=4,
        help_text="Seed 004: think sustainable from the start. Practices, roles, routines kept.",
    )

    def __init__(self, *args, engagement, indicators, **kwargs):
        self.indicators = indicators
        kwargs.setdefault("initial", {})["sustainability"] = engagement.sustainability
        super().__init__(*args, **kwargs)
        for indicator in indicators:
            self.fields[f"final_{indicator.pk}"] = forms.DecimalField(
                label=f"{indicator.name}: final value (target {indicator.target_value})",
                max_digits=12,
                decimal_places=2,
                initial=indicator.final_value,
                widget=forms.NumberInput(attrs={"class": "form-control", "step": "any"}),
            )
            self.fields[f"fnote_{indicator.pk}"] = forms.CharField(
                label=f"{indicator.name}: what the outcome means",
                required=False,
                initial=indicator.final_note,
                widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
            )

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "sustainability": data["sustainability"],
            "outcomes": {
                i: (data[f"final_{i.pk}"], data.get(f"fnote_{i.pk}", "")) for i in self.indicators
            },
        }


class ConsentForm(PortalForm):
    consent = forms.BooleanField(
        label="Our LEA consents to CCEE showing this engagement as a success story in public."
    )
    summary = _text("The story in a few sentences (optional)", rows=3, required=False)


class ReviewForm(PortalForm):
    feedback = _text("Feedback", rows=4, required=False)
    decision = forms.ChoiceField(
        choices=[("accept", "Accept with this feedback"), ("return", "Return for changes")],
        widget=forms.RadioSelect,
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "return" and not data.get("feedback"):
            self.add_error("feedback", "Say what should change: the feedback is required.")
        return data


def validation_message(error: ValidationError) -> str:
    return " ".join(error.messages)
