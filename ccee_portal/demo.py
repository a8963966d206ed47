"""Demo accounts for `make run`: one approved person per role, with published passwords.

They are created only while DEBUG is on, and sign-in refuses them when DEBUG is off.
"""

from pathlib import Path

from django.conf import settings

from . import roles

SAMPLE_DIRECTORY = Path(settings.BASE_DIR) / "tests" / "data" / "cde_directory_sample.txt"
DEMO_LEA_CDS = "01612590000000"  # Oakland Unified, Alameda County

DEMO_ACCOUNTS = [
    {
        "role": roles.LEA_STAFF,
        "email": "lea@demo.ccee.test",
        "password": "demo-lea-2026",
        "full_name": "Dana Lopez",
        "job_title": "Director of Continuous Improvement",
    },
    {
        "role": roles.CCEE_REVIEWER,
        "email": "reviewer@demo.ccee.test",
        "password": "demo-reviewer-2026",
        "full_name": "Riley Chen",
        "job_title": "CCEE Program Analyst",
    },
    {
        "role": roles.CCEE_LEAD,
        "email": "lead@demo.ccee.test",
        "password": "demo-lead-2026",
        "full_name": "Morgan Ortiz",
        "job_title": "CCEE Director",
    },
    {
        "role": roles.ADMINISTRATIVE_AGENT,
        "email": "agent@demo.ccee.test",
        "password": "demo-agent-2026",
        "full_name": "Sam Patel",
        "job_title": "Contracts Officer, Administrative Agent",
    },
]
