"""The short soak: 50 instances, 4 forked workers, 10-second tokens, half a minute (three token
lifetimes, as the minute of 20-second tokens it used to run, at half the CPU), the same faults
as the full one (PostgreSQL restarted, a worker SIGKILLed as it refreshes, a worker an hour
fast). It must lose no connection, meet no 429, miss or repeat no change, and fail no call.

It takes about 40 seconds, against a real PostgreSQL server and the sandbox.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from bench.postgres import server_bin

from .conftest import ROOT

SHORT = ["-n", "50", "-w", "4", "-t", "10", "-m", "0.5", "--poll-every", "5", "--write-every", "10"]


@pytest.mark.slow(40)  # mostly waiting on its half minute of load: started before any other
@pytest.mark.skipif(server_bin() is None, reason="PostgreSQL server programs are missing")
def test_a_short_soak_meets_the_zero_targets() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bench.soak", *SHORT, "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert figures["polls"] > 0 and figures["changes"]["writes"] > 0  # it did run
    assert any("SIGKILLed" in event for event in figures["events"])  # the faults happened
    assert figures["lost"] == []
    assert figures["answers_429"] == 0
    assert (figures["changes"]["missed"], figures["changes"]["repeated"]) == (0, 0)
    assert figures["errors"] == {} and figures["drain_errors"] == {}
    assert figures["grants_per_instance_per_lifetime"] <= 1.1
