"""The taxonomy is plain data: codes unique, each with the provision or seed behind it."""

from providers import taxonomy


def test_expertise_codes_are_unique_and_each_names_its_source():
    codes = [a.code for a in taxonomy.EXPERTISE]
    assert len(codes) == len(set(codes))
    assert all(a.label and a.source for a in taxonomy.EXPERTISE)


def test_expertise_covers_ec_52074_e_and_the_areas_of_seed_004():
    by_source = {}
    for area in taxonomy.EXPERTISE:
        by_source.setdefault(area.source.split(";")[0], []).append(area.code)
    assert len(by_source["EC 52074(e)(1)"]) == 8  # the eight state priorities of 52060(d)
    assert by_source["EC 52074(e)(2)"] == ["quality_of_teaching"]
    assert by_source["EC 52074(e)(3)"] == ["leadership"]
    assert set(by_source["EC 52074(e)(4)"]) == {
        "english_learners",
        "frpm",
        "foster_youth",
        "exceptional_needs",
    }
    assert set(by_source["Seed 004: areas of need"]) == {
        "ela_social_science_pedagogy",
        "math_science_pedagogy",
        "college_readiness",
        "systemness",
        "standards_implementation",
        "lcap_development",
        "parent_engagement",
    }


def test_counties_are_the_58_by_two_digit_code():
    assert len(taxonomy.COUNTIES) == 58
    assert taxonomy.COUNTY_NAMES["19"] == "Los Angeles"
    assert all(len(code) == 2 for code in taxonomy.COUNTY_CODES)


def test_labels_and_unknown_codes():
    assert taxonomy.labels(["es", "xx"], taxonomy.LANGUAGES) == ["Spanish", "xx"]
    assert taxonomy.unknown_codes(["es", "xx"], taxonomy.LANGUAGE_CODES) == ["xx"]
