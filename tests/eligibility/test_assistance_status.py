"""Reading CDE's LCFF Assistance Status file and deriving EC 52064.5(g) and 52072(a) from it."""

from pathlib import Path

import pytest

from eligibility.assistance_status import (
    AssistanceStatusError,
    YearStatus,
    decode,
    intensive_assistance,
    parse_file,
)

DATA = Path(__file__).resolve().parents[1] / "data"
OAKLAND, FRESNO, SMALL_DISTRICT = "01612590000000", "10621660000000", "54718370000000"
HEADER = "CDS\tLEAname\tcountyname\tReportingYear\t" + "\t".join(
    f"{s}priorities"
    for s in ("AA", "AI", "AS", "EL", "FI", "FOS", "HI", "HOM", "PI", "SED", "SWD", "MR", "WH")
)


def line(cds="01612590000000", year="2025", **cells):
    subs = ("AA", "AI", "AS", "EL", "FI", "FOS", "HI", "HOM", "PI", "SED", "SWD", "MR", "WH")
    return "\t".join([cds, "Oakland Unified", "Alameda", year, *(cells.get(s, "") for s in subs)])


def parsed(*lines, header=HEADER):
    return parse_file("\n".join([header, *lines]) + "\n")


def year(y, **subgroups):
    return YearStatus(year=y, subgroups={k: tuple(v) for k, v in subgroups.items()})


# --- reading the file ---------------------------------------------------------------------


@pytest.mark.parametrize("name", ["2023", "2024", "2025"])
def test_each_sample_year_reads_whatever_its_column_spelling(name):
    result = parse_file(decode((DATA / f"cde_assistance_status_{name}.txt").read_bytes()))
    assert result.year == int(name)
    assert result.rows[OAKLAND]["lea_name"] == "Oakland Unified"
    assert "EL" in result.rows[OAKLAND]["subgroups"]


def test_a_cell_lists_priority_areas_and_an_empty_cell_is_no_result():
    result = parsed(line(EL="4; 6", SWD="P5 P4", SED="none", AA=""))
    subgroups = result.rows[OAKLAND]["subgroups"]
    assert subgroups == {"EL": [4, 6], "SWD": [4, 5], "SED": []}


def test_a_school_year_such_as_2024_25_is_read_as_its_ending_year():
    assert parsed(line(year="2024-25")).year == 2025


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "line 1: the file is empty"),
        ("CDS\tLEAname\n", "line 1: the header lacks the column(s) countyname, ReportingYear"),
        (HEADER + "\n", "line 2: the file has a header but no rows."),
        (HEADER + "\n" + line(cds="0161259") + "\n", "line 2: CDS '0161259' is not 14 digits."),
        (
            HEADER + "\n" + line() + "\n" + line(year="2024") + "\n",
            "line 3: ReportingYear 2024 differs from the file's 2025",
        ),
        (HEADER + "\n" + line() + "\n" + line() + "\n", "line 3: CDS 01612590000000 appears"),
        (HEADER + "\n" + line(EL="4,12") + "\n", "line 2: ELpriorities '4,12' is not a list"),
        (HEADER + "\n" + line(year="next") + "\n", "line 2: ReportingYear 'next' is not a year"),
        (HEADER + "\n" + line() + "\textra\n", "line 2: expected 17 fields, found 18."),
    ],
)
def test_a_malformed_file_is_refused_naming_the_line(text, message):
    with pytest.raises(AssistanceStatusError) as refused:
        parse_file(text)
    assert str(refused.value).startswith(message)


# --- EC 52064.5(g): differentiated assistance, per year -------------------------------------


def test_a_subgroup_in_two_or_more_areas_makes_the_lea_eligible():
    status = year(2025, EL=(4, 5), SWD=(4,), HI=())
    assert status.eligible_subgroups == ("EL",)
    assert status.differentiated_assistance is True


def test_no_subgroup_in_two_areas_means_no_differentiated_assistance():
    assert year(2025, EL=(4,), SWD=(5,)).differentiated_assistance is False


# --- EC 52072(a): three or more subgroups in three out of four consecutive years -----------


def test_a_year_counts_with_three_eligible_subgroups():
    assert year(2025, AA=(4, 5), EL=(4, 6), SWD=(5, 6), HI=(4,)).counts_toward_52072a
    assert not year(2025, AA=(4, 5), EL=(4, 6), SWD=(5,), HI=(4,)).counts_toward_52072a


def test_a_year_counts_for_an_lea_with_fewer_than_three_subgroups_when_all_are_eligible():
    assert year(2025, HI=(4, 5), SED=(5, 6)).counts_toward_52072a
    assert not year(2025, HI=(4, 5), SED=(5,)).counts_toward_52072a
    assert not year(2025).counts_toward_52072a


def counting(y):
    return year(y, AA=(4, 5), EL=(4, 6), SWD=(5, 6))


@pytest.mark.parametrize(
    ("years", "met"),
    [
        ((2023, 2024, 2025), True),
        ((2022, 2024, 2025), True),
        ((2022, 2023, 2024, 2025), True),
        ((2024, 2025), False),
        ((2021, 2022, 2025), False),  # 2021 falls outside the four years ending in 2025
    ],
)
def test_52072a_needs_three_of_the_four_years_ending_with_the_latest(years, met):
    result = intensive_assistance([counting(y) for y in years], latest_year=2025)
    assert result.met is met
    assert result.window == (2022, 2023, 2024, 2025)


def test_the_source_names_the_file_and_the_years_it_rests_on():
    met = intensive_assistance([counting(2023), counting(2024), counting(2025)], 2025)
    assert met.source == "CDE LCFF Assistance Status 2023, 2024, 2025"
    not_met = intensive_assistance([counting(2025)], 2025)
    assert not_met.source == "CDE LCFF Assistance Status 2022, 2023, 2024, 2025"


def test_the_sample_files_give_the_52072a_answers_the_readme_describes():
    files = [
        parse_file(decode((DATA / f"cde_assistance_status_{y}.txt").read_bytes()))
        for y in (2023, 2024, 2025)
    ]

    def answer(cds):
        years = [
            YearStatus(f.year, {k: tuple(v) for k, v in f.rows[cds]["subgroups"].items()})
            for f in files
            if cds in f.rows
        ]
        return intensive_assistance(years, 2025).met

    assert answer(OAKLAND) is True
    assert answer(SMALL_DISTRICT) is True
    assert answer(FRESNO) is False
