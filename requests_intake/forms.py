"""The intake form's sections, each a form that accepts a partly filled draft.

A draft may be saved with anything missing; what submission needs is checked by
validation.submission_problems and shown next to the same fields. Every field has a label and
plain help text, and AccessibleFormMixin ties each field to its help and errors for screen readers.
"""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import dateformat, timezone

from core.header_values import validate_header_value
from core.phone import USPhoneField
from core.widgets import QuickSelect
from eligibility import rules

from . import state_data
from .attachments import ACCEPT_ATTRIBUTE, check_upload
from .contract_terms import schools_by_code
from .drafts import FIELD_LABELS, SECTION_FIELDS
from .models import (
    AssistanceRequest,
    AssistanceType,
    BoardApproval,
    DaStatus,
    EvidenceFor,
    LeaType,
)
from .schools import school_codes_of
from .selectors import county_office_of as directory_county_office

EVIDENCE_HELP = (
    "Optional. PDF, Word (.docx), Excel (.xlsx), PNG or JPEG, up to 20 MB. "
    "Files you attached before stay attached."
)


class AccessibleFormMixin:
    """Give every field a Bootstrap class, and tie it to its help text and its messages."""

    def style_widgets(self):
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            elif isinstance(widget, forms.HiddenInput):
                continue
            else:
                css = "form-control"
            widget.attrs.setdefault("class", css)

    def prepare_display(self, problems: dict | None = None) -> list[dict]:
        """Attach `messages` (form errors + submission problems) to each bound field.

        Return the summary rows ({id, label, message}) the page lists at the top.
        """
        problems = problems or {}
        summary = []
        for name, field in self.fields.items():
            bound = self[name]
            messages = [*bound.errors, *problems.get(name, [])]
            bound.messages = messages
            bound.help_id = f"{bound.auto_id}_help"
            bound.error_id = f"{bound.auto_id}_error"
            described = []
            if field.help_text:
                described.append(bound.help_id)
            css = field.widget.attrs.get("class", "").replace(" is-invalid", "")
            if messages:
                described.append(bound.error_id)
                field.widget.attrs["aria-invalid"] = "true"
                css += " is-invalid"
            else:
                field.widget.attrs.pop("aria-invalid", None)
            if css:
                field.widget.attrs["class"] = css
            if described:
                field.widget.attrs["aria-describedby"] = " ".join(described)
            anchor = bound.auto_id
            if isinstance(field.widget, forms.RadioSelect):
                anchor = f"{bound.auto_id}_0"
            for message in messages:
                summary.append({"id": anchor, "label": field.label, "message": message})
        for message in self.non_field_errors() if self.is_bound else []:
            summary.append({"id": "", "label": "", "message": message})
        return summary


class SectionForm(AccessibleFormMixin, forms.Form):
    """A section of the request; `version` is the request version the page was based on."""

    section = ""
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    EVIDENCE_FIELDS: tuple = ()

    def __init__(self, *args, req=None, **kwargs):
        self.req = req
        super().__init__(*args, **kwargs)
        for name in SECTION_FIELDS.get(self.section, []):
            if name in self.fields:
                self.fields[name].label = FIELD_LABELS[name]
        self.style_widgets()

    def uploads(self) -> list[tuple]:
        """Return (evidence_for, CheckedUpload) for each evidence field holding an accepted file."""
        return [
            (self.fields[name].evidence_for, self.cleaned_data[name])
            for name in self.EVIDENCE_FIELDS
            if self.cleaned_data.get(name)
        ]

    def section_values(self) -> dict:
        return {
            name: self.cleaned_data[name]
            for name in SECTION_FIELDS[self.section]
            if name in self.cleaned_data
        }

    @classmethod
    def initial_for(cls, req) -> dict:
        initial = {name: getattr(req, name) for name in SECTION_FIELDS[cls.section]}
        initial["version"] = req.version
        return initial


def _text(max_length=None, help_text="", rows=None, validators=()):
    widget = forms.Textarea(attrs={"rows": rows}) if rows else None
    kwargs = {"required": False, "help_text": help_text, "max_length": max_length}
    kwargs["validators"] = list(validators)
    if widget is not None:
        kwargs["widget"] = widget
    return forms.CharField(**kwargs)


# The earliest "since" date a partner can have: earlier is a typing slip, not a partnership.
EARLIEST_SINCE = datetime.date(1900, 1, 1)


def check_since(value):
    """Refuse a partner's "since" date in the future or before 1900 (the message says which)."""
    if value is None:
        return value
    today = timezone.localdate()
    if value > today:
        raise ValidationError(
            f"This date is in the future: give the month the partner started working with you, "
            f"no later than {dateformat.format(today, 'F j, Y')}.",
            code="future",
        )
    if value < EARLIEST_SINCE:
        raise ValidationError(
            "This date is before 1900: check the year you typed.", code="before_1900"
        )
    return value


def _date(help_text="", validators=()):
    return forms.DateField(
        required=False,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=list(validators),
        error_messages={"invalid": "Enter a real date, such as 3/15/2025."},
    )


class ContactsForm(SectionForm):
    section = "contacts"
    # The names and titles go into emails' headers: one line, no control characters.
    superintendent_name = _text(
        150, "The superintendent, or the person in that role.", validators=[validate_header_value]
    )
    superintendent_email = forms.EmailField(required=False, max_length=254)
    primary_contact_name = _text(
        150,
        "The person CCEE should contact first about this request.",
        validators=[validate_header_value],
    )
    primary_contact_title = _text(150, validators=[validate_header_value])
    primary_contact_email = forms.EmailField(
        required=False, max_length=254, help_text="Receipts and updates are sent here."
    )
    primary_contact_phone = USPhoneField(
        help_text="A US number where CCEE can reach the primary contact, with its area code."
    )


class AdditionalContactForm(AccessibleFormMixin, forms.Form):
    name = forms.CharField(
        required=False, max_length=150, label="Name", validators=[validate_header_value]
    )
    title = forms.CharField(
        required=False, max_length=150, label="Title", validators=[validate_header_value]
    )
    email = forms.EmailField(required=False, max_length=254, label="Email address")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_widgets()

    def clean(self):
        data = super().clean()
        if data.get("title") and not (data.get("name") or data.get("email")):
            self.add_error("name", "Give this contact's name and email address.")
        elif data.get("name") and not data.get("email") and "email" not in self.errors:
            self.add_error("email", "Give this contact's email address, or clear the row.")
        elif data.get("email") and not data.get("name"):
            self.add_error("name", "Give this contact's name, or clear the row.")
        return data

    def row(self) -> dict | None:
        data = self.cleaned_data
        if not data.get("name") and not data.get("email"):
            return None
        return {"name": data["name"], "title": data.get("title", ""), "email": data["email"]}


class PartnerForm(AccessibleFormMixin, forms.Form):
    name = forms.CharField(required=False, max_length=200, label="Partner's name")
    role = forms.CharField(required=False, max_length=200, label="What they do with you")
    since = forms.DateField(
        required=False,
        label="Since",
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[check_since],
        error_messages={"invalid": "Enter a real date, such as 3/15/2025."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_widgets()

    def clean(self):
        data = super().clean()
        if (data.get("role") or data.get("since")) and not data.get("name"):
            self.add_error("name", "Give this partner's name, or clear the row.")
        elif data.get("name") and not data.get("role"):
            self.add_error("role", "Say what this partner does with you, or clear the row.")
        return data

    def row(self) -> dict | None:
        data = self.cleaned_data
        if not data.get("name"):
            return None
        return {"name": data["name"], "role": data["role"], "since": data.get("since")}


class RowFormSet(forms.BaseFormSet):
    """Inline rows without JavaScript: empty rows are ignored, cleared rows are removed."""

    def rows(self) -> list[dict]:
        return [row for form in self.forms if (row := form.row()) is not None]

    def prepare_display(self) -> list[dict]:
        summary = []
        for form in self.forms:
            summary += form.prepare_display()
        return summary


ContactFormSet = forms.formset_factory(
    AdditionalContactForm, formset=RowFormSet, extra=2, max_num=30, validate_max=True
)
PartnerFormSet = forms.formset_factory(
    PartnerForm, formset=RowFormSet, extra=2, max_num=30, validate_max=True
)


def contact_rows(req) -> list[dict]:
    return [
        {"name": c.name, "title": c.title, "email": c.email} for c in req.additional_contacts.all()
    ]


def partner_rows(req) -> list[dict]:
    return [{"name": p.name, "role": p.role, "since": p.since} for p in req.partners.all()]


class EvidenceField(forms.FileField):
    """An optional evidence upload, checked by its content (see attachments.check_upload)."""

    def __init__(self, evidence_for, label, **kwargs):
        self.evidence_for = evidence_for
        super().__init__(
            required=False,
            label=label,
            help_text=EVIDENCE_HELP,
            widget=forms.FileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
            **kwargs,
        )

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if not upload:
            return None
        return check_upload(upload)


class EligibilityForm(SectionForm):
    section = "eligibility"
    lea_type = forms.ChoiceField(
        required=False,
        choices=[("", "Choose the type of agency"), *LeaType.choices],
        help_text="Filled in from the state's directory of LEAs; change it only if it is wrong.",
    )
    coe_superintendent_determined_necessary = forms.BooleanField(required=False)
    coe_technical_assistance_provided = forms.BooleanField(required=False)
    geographic_lead_agrees = forms.BooleanField(required=False)
    g1a_details = _text(
        help_text="Who decided, when, and what technical assistance the county office gave.",
        rows=3,
    )
    coe_contact_name = _text(
        max_length=150,
        validators=[validate_header_value],
        help_text="Filled in from the state's directory with your county superintendent where it "
        "names one. CCEE sends this person a link to confirm the determination; no account is "
        "needed.",
    )
    coe_contact_email = forms.EmailField(
        required=False, error_messages={"invalid": "Enter an email address, such as name@acoe.org."}
    )
    geographic_lead_agency = _text(
        max_length=200,
        validators=[validate_header_value],
        help_text="The county office that is your county's geographic lead agency (EC 52073).",
    )
    geographic_lead_contact_name = _text(
        max_length=150,
        validators=[validate_header_value],
        help_text="CCEE sends this person a link to confirm the agency's agreement.",
    )
    geographic_lead_contact_email = forms.EmailField(
        required=False, error_messages={"invalid": "Enter an email address, such as name@acoe.org."}
    )
    evidence_g1A = EvidenceField(
        EvidenceFor.G1A, "Evidence: the determination letter and the geographic lead's agreement"
    )
    spi_determined_necessary = forms.BooleanField(required=False)
    g1b_details = _text(help_text="When the State Superintendent decided, and how.", rows=3)
    evidence_g1B = EvidenceField(EvidenceFor.G1B, "Evidence: the State Superintendent's letter")
    emergency_apportionment = forms.BooleanField(required=False)
    g2a_details = _text(help_text="When it was received, and its amount.", rows=3)
    evidence_g2A = EvidenceField(EvidenceFor.G2A, "Evidence: the apportionment documentation")
    agrees_to_reimburse = forms.BooleanField(required=False)
    at_risk_of_state_intervention = forms.BooleanField(required=False)
    at_risk_basis = _text(
        help_text="For example, the California School Dashboard results that put the district "
        "at risk.",
        rows=3,
    )
    evidence_h = EvidenceField(EvidenceFor.H, "Evidence: why the district is at risk")
    intensive_assistance_criteria_met = forms.BooleanField(required=False)
    evidence_other = EvidenceField(EvidenceFor.OTHER, "Other supporting evidence")

    @classmethod
    def initial_for(cls, req) -> dict:
        """Return the section's values, the county office contact from the directory if unset."""
        initial = super().initial_for(req)
        if not initial["coe_contact_email"]:
            office = directory_county_office(req.lea)
            if office is not None and office.administrator_email:
                initial["coe_contact_name"] = office.administrator_name
                initial["coe_contact_email"] = office.administrator_email
        return initial

    def clean(self):
        cleaned = super().clean()
        for name_field, email_field in (
            ("coe_contact_name", "coe_contact_email"),
            ("geographic_lead_contact_name", "geographic_lead_contact_email"),
        ):
            name, email = cleaned.get(name_field), cleaned.get(email_field)
            if email and not name:
                self.add_error(name_field, "Give the name of the person at this address.")
            if name and not email and email_field not in self.errors:
                self.add_error(email_field, "Give this person's email address.")
        return cleaned

    EVIDENCE_FIELDS = (
        "evidence_g1A",
        "evidence_g1B",
        "evidence_g2A",
        "evidence_h",
        "evidence_other",
    )


class EvidenceUploadForm(AccessibleFormMixin, forms.Form):
    """Evidence sent in answer to a request for information, from the request's page."""

    evidence_for = forms.ChoiceField(
        label="What the file shows",
        choices=EvidenceFor.choices,
        error_messages={"invalid_choice": "Choose what the file shows from the list."},
    )
    file = EvidenceField(EvidenceFor.OTHER, "The file to send")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].required = True
        self.fields["file"].error_messages["required"] = "Choose the file to send."
        self.style_widgets()

    def clean_file(self):
        checked = self.cleaned_data.get("file")
        if not checked:
            raise ValidationError("Choose the file to send.", code="required")
        return checked


class ThresholdForm(SectionForm):
    section = "threshold"
    estimated_months = forms.IntegerField(
        required=False,
        min_value=rules.MIN_MONTHS,
        max_value=rules.MAX_MONTHS,
        help_text="A whole number of months. CCEE looks for needs it can address in "
        f"{rules.THRESHOLD_MAX_MONTHS} months or less.",
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "invalid": f"Enter a whole number of months, such as {rules.THRESHOLD_MAX_MONTHS}.",
            "min_value": f"Enter at least {rules.MIN_MONTHS} month.",
            "max_value": f"Enter at most {rules.MAX_MONTHS} months.",
        },
    )
    partner_county_office = forms.BooleanField(required=False)
    partner_county_office_since = _date(
        "The month and year are enough; pick any day in it.", [check_since]
    )
    partner_geographic_lead = forms.BooleanField(required=False)
    partner_geographic_lead_since = _date(
        "The month and year are enough; pick any day in it.", [check_since]
    )

    def clean(self):
        data = super().clean()
        for flag in ("partner_county_office", "partner_geographic_lead"):
            if data.get(f"{flag}_since") and not data.get(flag):
                self.add_error(flag, "Check this box if this partner is working with you now.")
        return data


# The need section's prompts follow the type of request (the first question): what CCEE needs
# to hear differs for a review of instruction, a systemic review, coaching or a partnership.
TYPE_PROMPTS = {
    AssistanceType.FACILITATED_INSTRUCTIONAL_REVIEW: {
        "about": "A Facilitated Instructional Review looks at teaching and learning in your "
        "classrooms with your team, to find the strengths and opportunities that set priorities "
        "and actions.",
        "problem_of_practice": "The instruction you want the review to look at: subjects, "
        "grades and schools, and what you already see in classrooms.",
        "data_evidence": "The assessment and Dashboard results the review should start from.",
        "desired_outcomes": "What the review's findings should help you decide or change.",
    },
    AssistanceType.SYSTEMIC_REVIEW: {
        "about": "A systemic review (EC 52074(g)(2)(B)) examines the district as a whole to "
        "identify needs and strategies to improve pupil achievement.",
        "problem_of_practice": "The district-wide needs the review should examine: "
        "instruction, leadership, governance, fiscal systems.",
        "data_evidence": "The results and reports (Dashboard, audits, FCMAT) behind the need.",
        "desired_outcomes": "What the district should be able to do when the review is done.",
    },
    AssistanceType.COACHING: {
        "about": "Coaching pairs your leaders or teams with proven practitioners who work "
        "alongside them.",
        "problem_of_practice": "Who would be coached (leaders, teams), and the practice you "
        "want to change.",
    },
    AssistanceType.DISTRICT_TO_DISTRICT: {
        "about": "A district-to-district partnership links you with a district that faces a "
        "similar challenge or has solved it.",
        "problem_of_practice": "The challenge you would work on with a partner district, and "
        "what you would hope to learn from it.",
    },
    AssistanceType.EXTERNAL_PROVIDER: {
        "about": "CCEE can broker a vetted provider who builds your own capacity to improve.",
        "problem_of_practice": "The expertise you need, and how the provider should build your "
        "team's capacity rather than do the work for you.",
    },
}
DEFAULT_PROMPTS = {
    "problem_of_practice": "The specific problem you want to solve, in a few sentences.",
    "data_evidence": "What your data show, for example assessment or Dashboard results.",
    "desired_outcomes": "What should be different when the work is done.",
}
LCAP_YEAR = re.compile(r"^(20\d\d)\s*[-–/]\s*(\d\d)$")
MAX_BUDGET = 50_000_000
SCHOOLS_HELP = (
    "Optional: leave it empty if the work covers the whole LEA. One school a line, by its "
    "14-digit CDS code (you can add its name after it); with scripts on, search by name below."
)


def check_lcap_year(value):
    """Return the LCAP year as "2025-26", refusing other shapes and years that do not follow."""
    if not value:
        return ""
    found = LCAP_YEAR.match(value.strip())
    if not found or (int(found[1]) + 1) % 100 != int(found[2]):
        raise ValidationError(
            "Write the LCAP year as its two years, such as 2025-26.", code="lcap_year"
        )
    return f"{found[1]}-{found[2]}"


def schools_as_text(codes) -> str:
    """Return the chosen schools as the field shows them: "CDS code — name", one a line."""
    known = schools_by_code(codes)
    return "\n".join(
        f"{code} — {known[code].name}" if code in known else code for code in codes or []
    )


class NeedForm(SectionForm):
    section = "need"
    request_type = forms.ChoiceField(
        required=False,
        choices=[("", "Choose the type of request"), *AssistanceType.choices],
        help_text="The help you are asking CCEE for; the questions below follow it.",
        error_messages={"invalid_choice": "Choose the type of request from the list."},
    )
    school_cds_codes = _text(help_text=SCHOOLS_HELP, rows=3)
    da_status = forms.ChoiceField(
        required=False,
        choices=[("", "Choose the status"), *DaStatus.choices],
        help_text="Under EC 52064.5(g), from the state's LCFF Assistance Status.",
        error_messages={"invalid_choice": "Choose the status from the list."},
    )
    lcap_year = forms.CharField(
        required=False,
        max_length=9,
        help_text="The LCAP this work supports, such as 2025-26.",
        validators=[check_lcap_year],
    )
    lcap_url = forms.URLField(
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text="Where your LCAP is published; or upload it below.",
        error_messages={"invalid": "Enter a web address, such as https://www.example.org/lcap."},
    )
    evidence_lcap = EvidenceField(EvidenceFor.LCAP, "The LCAP (upload)")
    problem_of_practice = _text(help_text=DEFAULT_PROMPTS["problem_of_practice"], rows=4)
    student_groups = _text(help_text="Which students, grades or schools it affects.", rows=2)
    data_evidence = _text(help_text=DEFAULT_PROMPTS["data_evidence"], rows=4)
    lcap_goals = _text(help_text="The goals in your LCAP that this work supports.", rows=3)
    strategies_tried = _text(help_text="What you have tried so far, and what happened.", rows=3)
    desired_outcomes = _text(help_text=DEFAULT_PROMPTS["desired_outcomes"], rows=3)
    progress_indicators = _text(
        help_text="The measures you would use to see progress, and how often.", rows=3
    )
    assistance_types = forms.MultipleChoiceField(
        required=False,
        choices=AssistanceType.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Optional: any other kind of help that would also fit.",
    )
    preferred_start_date = _date("When you would like the work to begin.")

    EVIDENCE_FIELDS = ("evidence_lcap",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.type_about = ""
        prompts = TYPE_PROMPTS.get(self._chosen_type(), {})
        for name, text in prompts.items():
            if name == "about":
                self.type_about = text
            else:
                self.fields[name].help_text = text

    def _chosen_type(self) -> str:
        if self.is_bound:
            return self.data.get(self.add_prefix("request_type"), "")
        return self.initial.get("request_type", "")

    @classmethod
    def initial_for(cls, req) -> dict:
        initial = super().initial_for(req)
        initial["school_cds_codes"] = schools_as_text(req.school_cds_codes)
        if not req.da_status and (found := state_data.da_status_for(req.lea)) is not None:
            initial["da_status"] = found[0]
        return initial

    def clean_school_cds_codes(self):
        """Return the CDS codes of the schools named, one a line; refuse unknown ones."""
        text = self.cleaned_data.get("school_cds_codes") or ""
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        named = [(line, re.match(r"(\d{14})\b", line)) for line in lines]
        # The directory is read only when a school is named (most saves name none).
        allowed = None
        if self.req is not None and any(found for _, found in named):
            allowed = school_codes_of(self.req.lea)
        codes, unknown = [], []
        for line, found in named:
            if found is None:
                unknown.append(line)
            elif allowed is not None and found[1] not in allowed:
                unknown.append(found[1])
            elif found[1] not in codes:
                codes.append(found[1])
        if unknown:
            lea = self.req.lea.name if self.req is not None else "this LEA"
            raise ValidationError(
                f"Not a school of {lea} by its 14-digit CDS code: {', '.join(unknown)}. Put one "
                "school a line, starting with its CDS code, or search by name.",
                code="unknown_school",
            )
        return codes


class AgreementForm(SectionForm):
    section = "agreement"
    budget_min = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=MAX_BUDGET,
        help_text="Whole dollars. Leave both ends empty if CCEE's assistance is state-funded.",
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "invalid": "Enter whole dollars, such as 40000.",
            "min_value": "A budget cannot be negative.",
            "max_value": f"Enter at most ${MAX_BUDGET:,}.",
        },
    )
    budget_max = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=MAX_BUDGET,
        help_text="Whole dollars; the same as the lower end for a fixed amount.",
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "invalid": "Enter whole dollars, such as 60000.",
            "min_value": "A budget cannot be negative.",
            "max_value": f"Enter at most ${MAX_BUDGET:,}.",
        },
    )
    reimbursement_fund = _text(
        200,
        "Under EC 52074(g)(3) (a request outside the referral processes) your agency reimburses "
        "CCEE: name the fund and resource code, such as Fund 01, Resource 0000.",
    )
    board_approval = forms.ChoiceField(
        required=False,
        choices=BoardApproval.choices,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose yes or no."},
    )
    board_date = _date("When the board is expected to vote on the agreement.")
    legal_name = _text(
        200,
        "Your agency's name as it signs contracts, if it differs from the directory's.",
        validators=[validate_header_value],
    )
    signatory_name = _text(
        150,
        "The person authorised to sign the agreement for your agency.",
        validators=[validate_header_value],
    )
    signatory_title = _text(150, validators=[validate_header_value])
    signatory_email = forms.EmailField(
        required=False,
        max_length=254,
        help_text="The agreement is sent here to be signed.",
    )

    def clean(self):
        data = super().clean()
        low, high = data.get("budget_min"), data.get("budget_max")
        if low is not None and high is not None and high < low:
            self.add_error(
                "budget_max",
                f"The upper end (${high:,}) is below the lower end (${low:,}): swap them or "
                "correct one.",
            )
        self._check_board_date(data)
        return data

    def _check_board_date(self, data) -> None:
        day = data.get("board_date")
        if day is None:
            return
        if data.get("board_approval") == BoardApproval.NOT_REQUIRED:
            self.add_error(
                "board_date",
                "You said the board does not approve the agreement: clear the date, or "
                "choose yes above.",
            )
            return
        today = timezone.localdate()
        if day < today:
            self.add_error(
                "board_date",
                f"This date is in the past: give the board meeting to come, no earlier than "
                f"{dateformat.format(today, 'F j, Y')}.",
            )
        elif day > today + datetime.timedelta(days=730):
            self.add_error(
                "board_date", "This date is more than two years away: check the year you typed."
            )


SECTION_FORMS = {
    "contacts": ContactsForm,
    "eligibility": EligibilityForm,
    "threshold": ThresholdForm,
    "need": NeedForm,
    "agreement": AgreementForm,
}


def _normal_name(value: str) -> str:
    return re.sub(r"\s+", " ", value or "").strip().casefold()


class AttestationForm(AccessibleFormMixin, forms.Form):
    attest = forms.BooleanField(
        label="I attest that the information in this request is accurate and complete to the "
        "best of my knowledge, and that I may make this request on behalf of my agency.",
        error_messages={"required": "Check the box to confirm the attestation."},
    )
    attested_name = forms.CharField(
        label="Your full name",
        max_length=150,
        help_text="Type your name as it appears on your account; it serves as your signature.",
        error_messages={"required": "Type your full name to sign the attestation."},
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.style_widgets()

    def clean_attested_name(self):
        name = self.cleaned_data["attested_name"]
        expected = self.user.get_full_name() if self.user is not None else ""
        if _normal_name(name) != _normal_name(expected):
            raise ValidationError(
                f"Type your name as it appears on your account: {expected}.", code="mismatch"
            )
        return name


class ReplyForm(AccessibleFormMixin, forms.Form):
    reply = forms.CharField(
        label="Your reply to CCEE",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text="Say what you changed or added in answer to CCEE's questions.",
        error_messages={"required": "Write a reply that says what you changed."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_widgets()


class WithdrawForm(AccessibleFormMixin, forms.Form):
    reason = forms.CharField(
        label="Why are you withdrawing the request? (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_widgets()


class NewRequestForm(AccessibleFormMixin, forms.Form):
    lea = forms.ModelChoiceField(
        queryset=None,
        label="Local educational agency",
        empty_label=None,
        help_text="The agency this request is made for. Only LEAs where your membership is "
        "approved are listed.",
    )

    def __init__(self, *args, leas=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lea"].queryset = leas
        self.style_widgets()


class RequestListFilterForm(AccessibleFormMixin, forms.Form):
    """My requests, narrowed to one status."""

    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Every status"), *AssistanceRequest.Status.choices],
        error_messages={"invalid_choice": "Choose a status from the list."},
        widget=QuickSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_widgets()

    def chosen_status(self) -> str:
        """Return the status asked for, or "" for every status (also when the choice is bad)."""
        return self.cleaned_data["status"] if self.is_valid() else ""
