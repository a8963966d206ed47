"""The registry's forms on the site: applying, the profile, declaring a conflict."""

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator

from requests_intake.models import LocalEducationalAgency

from . import taxonomy
from .models import Provider, ProviderConflict

MAX_CAPACITY = 20
SUMMARY_MIN_LENGTH = 40

NEEDS_EXPERTISE = "Choose at least one area of expertise."
NEEDS_GRADE_SPAN = "Choose at least one grade span."
NEEDS_LANGUAGE = "Choose at least one language you work in."
NEEDS_REACH = "Choose the counties you serve, or tick “the whole state”."
NEEDS_LEA = "Choose the LEA offering district-to-district help."
LEA_LISTED = "This LEA is in the registry already."
SUMMARY_TOO_SHORT = (
    f"Describe your experience in a few sentences (at least {SUMMARY_MIN_LENGTH} characters)."
)


def _checkboxes(choices, label, help_text=""):
    return forms.MultipleChoiceField(
        choices=choices,
        label=label,
        help_text=help_text,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class ProfileForm(forms.ModelForm):
    """What a provider says about itself: expertise, reach, capacity, references, consent."""

    expertise = _checkboxes(
        taxonomy.EXPERTISE_CHOICES,
        "Areas of expertise",
        "EC 52074(e) and the areas of need of CCEE's founding report.",
    )
    grade_spans = _checkboxes(taxonomy.GRADE_SPANS, "Grade spans")
    counties = _checkboxes(taxonomy.COUNTIES, "Counties served")
    languages = _checkboxes(taxonomy.LANGUAGES, "Languages you work in")
    website = forms.URLField(label="Website", required=False, assume_scheme="https")
    capacity = forms.IntegerField(
        label="Engagements you can take on at once",
        validators=[MinValueValidator(1), MaxValueValidator(MAX_CAPACITY)],
        initial=1,
    )

    class Meta:
        model = Provider
        fields = [
            "name",
            "summary",
            "website",
            "contact_email",
            "expertise",
            "grade_spans",
            "statewide",
            "counties",
            "languages",
            "capacity",
            "references",
            "public_consent",
        ]
        labels = {
            "name": "Name of the provider",
            "summary": "Your experience building capacity in school systems",
            "contact_email": "Contact email",
            "references": "References: systems you helped improve, and whom CCEE may ask",
            "public_consent": "List us in CCEE's public directory if CCEE approves us",
        }
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 5}),
            "references": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["references"].required = True

    def clean_summary(self):
        summary = (self.cleaned_data.get("summary") or "").strip()
        if len(summary) < SUMMARY_MIN_LENGTH:
            raise forms.ValidationError(SUMMARY_TOO_SHORT)
        return summary

    def clean_expertise(self):
        return self._at_least_one("expertise", NEEDS_EXPERTISE)

    def clean_grade_spans(self):
        return self._at_least_one("grade_spans", NEEDS_GRADE_SPAN)

    def clean_languages(self):
        return self._at_least_one("languages", NEEDS_LANGUAGE)

    def _at_least_one(self, name, message):
        values = self.cleaned_data.get(name) or []
        if not values:
            raise forms.ValidationError(message)
        return list(values)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("statewide") and not cleaned.get("counties"):
            self.add_error("counties", NEEDS_REACH)
        if cleaned.get("statewide"):
            cleaned["counties"] = []
        return cleaned

    def profile(self) -> dict:
        """Return the cleaned profile as the services take it."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ApplicationForm(ProfileForm):
    """An application to the registry: the kind of provider and, for an LEA, which one."""

    kind = forms.ChoiceField(label="What kind of provider are you?", widget=forms.RadioSelect)
    lea = forms.ModelChoiceField(
        queryset=LocalEducationalAgency.objects.none(),
        label="The LEA offering district-to-district help",
        required=False,
        help_text="LEAs where a CCEE reviewer approved your membership.",
    )

    field_order = ["kind", "lea", "name"]

    def __init__(self, *args, leas=None, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = [
            (Provider.Kind.COACH.value, "A district success coach (an individual or a team)"),
            (Provider.Kind.ORGANISATION.value, "An organisation (an external provider)"),
        ]
        if leas is not None and leas.exists():
            kinds.insert(
                0,
                (
                    Provider.Kind.LEA.value,
                    "An LEA offering help to other LEAs (district-to-district)",
                ),
            )
            self.fields["lea"].queryset = leas
        else:
            del self.fields["lea"]
        self.fields["kind"].choices = kinds

    def clean_lea(self):
        lea = self.cleaned_data.get("lea")
        if (
            lea is not None
            and Provider.objects.filter(lea=lea).exclude(status=Provider.Status.REMOVED).exists()
        ):
            raise forms.ValidationError(LEA_LISTED)
        return lea

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == Provider.Kind.LEA and not cleaned.get("lea"):
            self.add_error("lea" if "lea" in self.fields else "kind", NEEDS_LEA)
        return cleaned

    def application(self) -> dict:
        return {
            "kind": self.cleaned_data["kind"],
            "lea": self.cleaned_data.get("lea"),
            **self.profile(),
        }


class ConflictForm(forms.ModelForm):
    lea = forms.ModelChoiceField(
        queryset=LocalEducationalAgency.objects.order_by("name"),
        label="LEA",
        help_text="The LEA you, or people of yours, work for or have a contract with.",
    )

    class Meta:
        model = ProviderConflict
        fields = ["lea", "kind", "description"]
        labels = {"kind": "Kind of conflict", "description": "Describe it"}
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
