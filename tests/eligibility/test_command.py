"""``manage.py evaluate_eligibility``: JSON in, determinations out, one plain line on bad input."""

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from eligibility.rules import RULES_VERSION, evaluate

MANAGE_PY = Path(__file__).resolve().parents[2] / "manage.py"

DISTRICT_AT_RISK = {
    "lea_type": "school_district",
    "at_risk_of_state_intervention": True,
    "estimated_months": 9,
    "partners": {"county_office": True, "geographic_lead": True, "other": ["FCMAT"]},
}
COUNTY_OFFICE_SPI = {
    "lea_type": "county_office",
    "spi_determined_necessary": True,
    "estimated_months": 4,
}


def run_command(stdin_text, *, path="-"):
    """Return (exit status, stdout, stderr) of the command run in this process."""
    out, err = StringIO(), StringIO()
    status = 0
    try:
        call_command(
            "evaluate_eligibility", path, stdin=StringIO(stdin_text), stdout=out, stderr=err
        )
    except SystemExit as exit_:
        status = exit_.code
    return status, out.getvalue(), err.getvalue()


def run_manage_py(stdin_text, *args):
    """Return the finished ``manage.py evaluate_eligibility`` process, as a shell would run it."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ccee_portal.settings",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "eligibility-command-test-key"),
        # Apps may log INFO lines at start-up; those belong to the project, not to this command.
        "LOG_LEVEL": "WARNING",
    }
    return subprocess.run(
        [sys.executable, str(MANAGE_PY), "evaluate_eligibility", *(args or ("-",))],
        input=stdin_text,
        capture_output=True,
        text=True,
        env=env,
        cwd=MANAGE_PY.parent,
        timeout=60,
        check=False,
    )


def test_one_object_prints_one_determination():
    status, out, err = run_command(json.dumps(DISTRICT_AT_RISK))
    assert (status, err) == (0, "")
    printed = json.loads(out)
    assert printed == evaluate(DISTRICT_AT_RISK).to_dict()
    assert printed["priority_tier"] == 1
    assert printed["rules_version"] == RULES_VERSION


def test_an_array_prints_determinations_in_the_same_order():
    status, out, err = run_command(json.dumps([COUNTY_OFFICE_SPI, DISTRICT_AT_RISK]))
    assert (status, err) == (0, "")
    printed = json.loads(out)
    assert [d["pathways"] for d in printed] == [["g1B"], ["g3"]]
    assert printed == [evaluate(COUNTY_OFFICE_SPI).to_dict(), evaluate(DISTRICT_AT_RISK).to_dict()]


def test_an_empty_array_prints_an_empty_array():
    assert run_command("[]")[:2] == (0, "[]\n")


def test_reads_facts_from_a_file(tmp_path):
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(COUNTY_OFFICE_SPI), encoding="utf-8")
    status, out, _ = run_command("", path=str(path))
    assert status == 0
    assert json.loads(out)["cost_basis"] == "state_funded"


def test_missing_file_is_one_line_naming_it(tmp_path):
    missing = tmp_path / "absent.json"
    status, out, err = run_command("", path=str(missing))
    assert status != 0
    assert out == ""
    assert err.splitlines() == [f"{missing}: cannot be read (No such file or directory)"]


@pytest.mark.parametrize(
    ("stdin_text", "message"),
    [
        (
            "{not json",
            "input: is not valid JSON (Expecting property name enclosed in double quotes",
        ),
        ("", "input: is not valid JSON (Expecting value at line 1, column 1)"),
        ('"school_district"', "input: must be a JSON object of facts or an array of them"),
        (json.dumps({"estimated_months": 3}), "lea_type: is required"),
        (
            json.dumps({**COUNTY_OFFICE_SPI, "lea_type": "district"}),
            "lea_type: must be one of school_district, county_office, charter_school",
        ),
        (json.dumps({"lea_type": "county_office"}), "estimated_months: is required"),
        (
            json.dumps({**COUNTY_OFFICE_SPI, "estimated_months": 121}),
            "estimated_months: must be a whole number from 1 to 120",
        ),
        (
            json.dumps({**COUNTY_OFFICE_SPI, "estimated_months": 0}),
            "estimated_months: must be a whole number from 1 to 120",
        ),
        (
            json.dumps({**COUNTY_OFFICE_SPI, "spi_determined_necessary": "yes"}),
            "spi_determined_necessary: must be true or false",
        ),
        (
            json.dumps({**COUNTY_OFFICE_SPI, "partners": {"geographic_lead": 1}}),
            "partners.geographic_lead: must be true or false",
        ),
        (
            json.dumps([COUNTY_OFFICE_SPI, DISTRICT_AT_RISK, COUNTY_OFFICE_SPI, {"lea_type": "x"}]),
            "[3].lea_type: must be one of school_district, county_office, charter_school",
        ),
        (json.dumps([COUNTY_OFFICE_SPI, 7]), "[1]: must be a JSON object"),
        (
            json.dumps({**DISTRICT_AT_RISK, "intensive_assistance_criteria_met": "true"}),
            "intensive_assistance_criteria_met: must be true or false",
        ),
        (
            json.dumps({**DISTRICT_AT_RISK, "agrees_to_reimburse": 1}),
            "agrees_to_reimburse: must be true or false",
        ),
    ],
)
def test_bad_input_is_one_line_on_stderr_and_nothing_on_stdout(stdin_text, message):
    status, out, err = run_command(stdin_text)
    assert status == 2
    assert out == ""
    (line,) = err.splitlines()
    assert line.startswith(message)


@pytest.mark.parametrize(
    ("stdin_text", "expected_line"),
    [
        ("nope", "input: is not valid JSON (Expecting value at line 1, column 1)"),
        (
            json.dumps({"lea_type": "school_district", "estimated_months": 10.5}),
            "estimated_months: must be a whole number from 1 to 120",
        ),
        (
            json.dumps(
                {
                    "lea_type": "school_district",
                    "estimated_months": 3,
                    "at_risk_of_state_intervention": None,
                }
            ),
            "at_risk_of_state_intervention: must be true or false",
        ),
        (
            json.dumps([DISTRICT_AT_RISK, {"lea_type": "charter_school"}]),
            "[1].estimated_months: is required (a whole number from 1 to 120)",
        ),
        (
            json.dumps({**DISTRICT_AT_RISK, "intensive_assistance_criteria_met": None}),
            "intensive_assistance_criteria_met: must be true or false",
        ),
        (
            json.dumps({**COUNTY_OFFICE_SPI, "agrees_to_reimburse": "no"}),
            "agrees_to_reimburse: must be true or false",
        ),
    ],
)
def test_manage_py_bad_input_exits_non_zero_with_one_line_and_no_traceback(
    stdin_text, expected_line
):
    finished = run_manage_py(stdin_text)
    assert finished.returncode == 2
    assert finished.stdout == ""
    assert finished.stderr.splitlines() == [expected_line]


def test_manage_py_prints_an_array_for_an_array():
    finished = run_manage_py(json.dumps([DISTRICT_AT_RISK, COUNTY_OFFICE_SPI]))
    assert finished.returncode == 0, finished.stderr
    assert finished.stderr == ""
    assert [d["priority_tier"] for d in json.loads(finished.stdout)] == [1, 2]


def test_manage_py_prints_the_52072a_pathway_and_its_cost_basis():
    facts = {"lea_type": "school_district", "estimated_months": 6}
    finished = run_manage_py(json.dumps({**facts, "intensive_assistance_criteria_met": True}))
    assert finished.returncode == 0, finished.stderr
    printed = json.loads(finished.stdout)
    assert printed["pathways"] == ["52072a"]
    assert printed["cost_basis"] == "state_funded"
    assert printed["priority_tier"] == 2
    assert "IA_52072A_APPLIES" in [f["code"] for f in printed["findings"]]
    assert printed["rules_version"] == RULES_VERSION
