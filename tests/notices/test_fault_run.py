"""The fault script's short version: a real prefork worker killed 5 times, Redis down 5 s.

It runs bench/bench_faults.py in a process of its own (its own database, Redis and SMTP sink),
so it runs with the real-worker tests, alone.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.celery_worker_real

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "bench_faults.py"


def test_killing_the_worker_and_redis_loses_no_notice_and_counts_every_duplicate():
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--notices", "30", "--kills", "5", "--redis-down", "5"],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert figures["kills"] == 5
    assert figures["notices"] >= 30
    assert figures["lost"] == 0 and figures["failed"] == 0
    assert figures["delivered"] == figures["notices"]
    # A duplicate is possible (a kill between "accepted" and the commit) but never uncounted.
    assert figures["uncounted_duplicates"] == 0
    assert figures["counted_duplicates"] >= figures["duplicated_notices"]
