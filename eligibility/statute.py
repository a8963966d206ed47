"""The text of EC 52074 (g) and (h) that the intake form quotes beside each eligibility box.

Plain Python with no Django import, like rules.py: the statute is part of the law as code, so it
lives with the rules that apply it. The wording is the statute's (seeds/002), unabridged.
"""

# Keyed by the pathway codes of rules.py (and "h" for priority): (citation as the page shows it,
# the provision's text).
STATUTE = {
    "g1A": (
        "EC 52074 (g)(1)(A)",
        "If the county superintendent of schools of the county in which the school district or "
        "charter school is located determines, following the provision of technical assistance "
        "pursuant to Section 52071 or 47607.3, as applicable, and the geographic lead agency of "
        "that county identified pursuant to Section 52073 agrees, that the advice and assistance "
        "of the California Collaborative for Educational Excellence is necessary to help the "
        "school district or charter school accomplish the goals described in the local control "
        "and accountability plan adopted pursuant to this article.",
    ),
    "g1B": (
        "EC 52074 (g)(1)(B)",
        "If the Superintendent determines that the advice and assistance of the California "
        "Collaborative for Educational Excellence is necessary to help the school district, "
        "county superintendent of schools, or charter school accomplish the goals set forth in "
        "the local control and accountability plan adopted pursuant to this article.",
    ),
    "g2A": (
        "EC 52074 (g)(2)(A)",
        "If a school district receives an emergency apportionment pursuant to Article 2 "
        "(commencing with Section 41320) of Chapter 3 of Part 24 of Division 3, the school "
        "district shall be deemed to have been referred to the California Collaborative for "
        "Educational Excellence.",
    ),
    "g3": (
        "EC 52074 (g)(3)",
        "Outside of the processes described in paragraphs (1) and (2), a school district, county "
        "office of education, or charter school that requests the advice and assistance of the "
        "California Collaborative for Educational Excellence shall reimburse the California "
        "Collaborative for Educational Excellence for the cost of those services pursuant to "
        "authority provided in the annual Budget Act.",
    ),
    "h": (
        "EC 52074 (h)",
        "To the extent authority is provided in the annual Budget Act, a school district at risk "
        "of qualifying for state intervention pursuant to subdivision (b) of Section 52072 shall "
        "have priority for direct technical assistance from the California Collaborative for "
        "Educational Excellence.",
    ),
}
