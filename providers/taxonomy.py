"""What assistance providers offer, as codes with labels and the provision or seed behind each.

Plain Python, no Django: forms, admin, matching and tests read the same lists. EXPERTISE follows
EC 52074(e) (which names the areas the CCEE advises and assists in) and the areas of need seed
004 gives as examples; each entry names its source so a reviewer can check it.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Area:
    code: str
    label: str
    source: str  # the provision or seed the area comes from


# EC 52060(d): the eight state priorities an LCAP addresses; EC 52074(e)(1) refers to them.
_STATE_PRIORITIES = [
    ("priority_1_basic_services", "Basic services and conditions (state priority 1)"),
    ("priority_2_state_standards", "Implementation of state standards (state priority 2)"),
    ("priority_3_parental_involvement", "Parental involvement (state priority 3)"),
    ("priority_4_pupil_achievement", "Pupil achievement (state priority 4)"),
    ("priority_5_pupil_engagement", "Pupil engagement (state priority 5)"),
    ("priority_6_school_climate", "School climate (state priority 6)"),
    ("priority_7_course_access", "Access to a broad course of study (state priority 7)"),
    ("priority_8_pupil_outcomes", "Outcomes in the broad course of study (state priority 8)"),
]

EXPERTISE: tuple[Area, ...] = (
    *(
        Area(code, label, f"EC 52074(e)(1); EC 52060(d)({n})")
        for n, (code, label) in enumerate(_STATE_PRIORITIES, start=1)
    ),
    Area("quality_of_teaching", "Quality of teaching", "EC 52074(e)(2)"),
    Area("leadership", "District and school leadership", "EC 52074(e)(3)"),
    Area("english_learners", "English learners", "EC 52074(e)(4)"),
    Area("frpm", "Pupils eligible for free or reduced-price meals", "EC 52074(e)(4)"),
    Area("foster_youth", "Foster youth", "EC 52074(e)(4)"),
    Area("exceptional_needs", "Individuals with exceptional needs", "EC 52074(e)(4)"),
    Area(
        "ela_social_science_pedagogy",
        "Learning and pedagogy in language arts and social sciences",
        "Seed 004: areas of need",
    ),
    Area(
        "math_science_pedagogy",
        "Learning and pedagogy in math and science",
        "Seed 004: areas of need",
    ),
    Area("college_readiness", "College readiness", "Seed 004: areas of need"),
    Area("systemness", "Systemness", "Seed 004: areas of need"),
    Area(
        "standards_implementation",
        "Common Core standards implementation",
        "Seed 004: areas of need",
    ),
    Area("lcap_development", "LCAP development", "Seed 004: areas of need"),
    Area("parent_engagement", "Parent engagement", "Seed 004: areas of need"),
)

EXPERTISE_CODES = frozenset(a.code for a in EXPERTISE)
EXPERTISE_LABELS = {a.code: a.label for a in EXPERTISE}
EXPERTISE_CHOICES = [(a.code, a.label) for a in EXPERTISE]

GRADE_SPANS = (
    ("tk_k", "Transitional kindergarten and kindergarten"),
    ("1_5", "Grades 1–5"),
    ("6_8", "Grades 6–8"),
    ("9_12", "Grades 9–12"),
    ("adult", "Adult education"),
)
GRADE_SPAN_CODES = frozenset(code for code, _label in GRADE_SPANS)

# The languages most spoken by California's English learners (CDE DataQuest), and English.
LANGUAGES = (
    ("en", "English"),
    ("es", "Spanish"),
    ("vi", "Vietnamese"),
    ("zh", "Chinese (Mandarin or Cantonese)"),
    ("ar", "Arabic"),
    ("tl", "Filipino (Tagalog)"),
    ("ru", "Russian"),
    ("ko", "Korean"),
    ("pa", "Punjabi"),
    ("hmn", "Hmong"),
    ("asl", "American Sign Language"),
)
LANGUAGE_CODES = frozenset(code for code, _label in LANGUAGES)

# Seed 004's three methods of assistance, as the kinds of provider that deliver them.
KINDS = (
    ("lea", "District-to-district (an LEA helping another LEA)"),
    ("coach", "District success coach"),
    ("organisation", "External provider (organisation)"),
)
KIND_CODES = frozenset(code for code, _label in KINDS)

# Seed 004: external providers "should be assessed very carefully to include only those willing
# and able to listen to and learn from the supported system, capable of catalyzing the internal
# capacity of the district to improve itself, and committed to the deep collaboration ...".
VETTING_CRITERIA = (
    ("listens_and_learns", "Willing and able to listen to and learn from the supported system"),
    ("builds_capacity", "Capable of catalysing the district's internal capacity to improve"),
    ("deep_collaboration", "Committed to deep collaboration and involvement"),
    ("other", "Other"),
)

# California's 58 counties by their two-digit CDS county code.
COUNTIES = (
    ("01", "Alameda"), ("02", "Alpine"), ("03", "Amador"), ("04", "Butte"),
    ("05", "Calaveras"), ("06", "Colusa"), ("07", "Contra Costa"), ("08", "Del Norte"),
    ("09", "El Dorado"), ("10", "Fresno"), ("11", "Glenn"), ("12", "Humboldt"),
    ("13", "Imperial"), ("14", "Inyo"), ("15", "Kern"), ("16", "Kings"), ("17", "Lake"),
    ("18", "Lassen"), ("19", "Los Angeles"), ("20", "Madera"), ("21", "Marin"),
    ("22", "Mariposa"), ("23", "Mendocino"), ("24", "Merced"), ("25", "Modoc"),
    ("26", "Mono"), ("27", "Monterey"), ("28", "Napa"), ("29", "Nevada"), ("30", "Orange"),
    ("31", "Placer"), ("32", "Plumas"), ("33", "Riverside"), ("34", "Sacramento"),
    ("35", "San Benito"), ("36", "San Bernardino"), ("37", "San Diego"),
    ("38", "San Francisco"), ("39", "San Joaquin"), ("40", "San Luis Obispo"),
    ("41", "San Mateo"), ("42", "Santa Barbara"), ("43", "Santa Clara"), ("44", "Santa Cruz"),
    ("45", "Shasta"), ("46", "Sierra"), ("47", "Siskiyou"), ("48", "Solano"),
    ("49", "Sonoma"), ("50", "Stanislaus"), ("51", "Sutter"), ("52", "Tehama"),
    ("53", "Trinity"), ("54", "Tulare"), ("55", "Tuolumne"), ("56", "Ventura"),
    ("57", "Yolo"), ("58", "Yuba"),
)  # fmt: skip
COUNTY_CODES = frozenset(code for code, _name in COUNTIES)
COUNTY_NAMES = dict(COUNTIES)


def unknown_codes(values, known) -> list[str]:
    """Return the values that are not codes of `known`, in the order given."""
    return [v for v in values if v not in known]


def labels(values, choices) -> list[str]:
    """Return the labels of the codes in `values` (unknown codes as given)."""
    names = dict(choices)
    return [names.get(v, v) for v in values]
