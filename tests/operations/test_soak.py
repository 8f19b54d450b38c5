"""The fault soak's short form (`bench/soak.py --short`), on a PostgreSQL cluster of its own: a replica killed with
SIGKILL, a worker stopped with SIGTERM and the database restarted while clients write through the replicas; then,
by query and at the webhook receiver, nothing lost, nothing twice, every event delivered, only documented 503s.

It makes its own cluster (initdb in a temporary directory, on a free port), so it needs neither the suite's
`database` fixture nor its PostgreSQL server: it runs once per run, not once per backend. Without PostgreSQL's
binaries it is skipped, and under CI=true it fails. The soak runs as a subprocess in a session of its own; whatever
happens, its processes, its cluster and its directory are gone afterwards."""

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from bench import soak
from tests.conftest import BACKENDS, PROJECT_DIR

TIMEOUT = 150  # the short form takes 35-45 s here; past this something is stuck


def _kill(process: subprocess.Popen) -> None:
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)


def test_short_soak_keeps_every_promise():
    if "postgresql" not in BACKENDS:
        pytest.skip("PostgreSQL is not among this run's backends (ROVIEC_TEST_BACKENDS)")
    problem = soak.cluster_problem()
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(f"the soak needs PostgreSQL's binaries in CI: {problem}")
        pytest.skip(problem)
    # Not under pytest's tmp_path: its folders are private to this user, and the `postgres` user must walk in.
    workdir = Path(tempfile.mkdtemp(prefix="roviec-soak-test-"))
    process = subprocess.Popen(
        [sys.executable, str(PROJECT_DIR / "bench" / "soak.py"), "--short", "--json", "--workdir", str(workdir)],
        cwd=PROJECT_DIR, env=os.environ | {"PYTHONPATH": str(PROJECT_DIR)}, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        try:
            out, err = process.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGTERM)  # the soak's own cleanup first
            try:
                out, err = process.communicate(timeout=45)
            except subprocess.TimeoutExpired:
                _kill(process)
                out, err = process.communicate()
            pytest.fail(f"the short soak took more than {TIMEOUT} s:\n{err[-4000:]}")
    finally:
        _kill(process)
        soak.kill_leftover_processes(workdir)
        soak.stop_leftover_cluster(workdir)
        shutil.rmtree(workdir, ignore_errors=True)

    print(err[-6000:])  # the summary and the soak's log, shown with -s or on failure
    assert process.returncode in (0, 1) and out.strip(), f"the soak did not finish:\n{err[-4000:]}"
    figures = json.loads(out)
    journal, deliveries, errors = figures["journal"], figures["deliveries"], figures["server_errors"]
    broken = []
    if journal["lost_count"]:
        broken.append(f"acknowledged writes without their journal row: {journal['lost']}")
    if journal["twice_count"]:
        broken.append(f"writes journaled twice: {journal['twice']}")
    if figures["abandoned_count"]:
        broken.append(f"writes never acknowledged: {figures['abandoned']}")
    if not figures["promises"]["every_event_delivered"]:
        broken.append(f"events not delivered: {deliveries}")
    if not figures["promises"]["no_alert_window_twice"]:
        broken.append(f"alert windows raised twice: {figures['alerts']}")
    if errors["500_during_outage"]:
        broken.append(f"{errors['500_during_outage']} plain 500 during the database outage, not the documented 503 "
                      "database_unavailable with Retry-After")
    if errors["undocumented"] - errors["500_during_outage"]:
        broken.append(f"other undocumented 5xx: {errors} (by window: {figures['responses_by_window']})")
    if figures["hung_requests"]:
        broken.append(f"requests without an answer within {soak.CLIENT_TIMEOUT:.0f} s: {figures['hung_requests']}")
    for name in ("resent_writes_replayed", "x_journal_id_matches", "x_request_id_echoed",
                 "journal_request_id_matches"):
        if not figures["promises"][name]:
            broken.append(f"{name} broken: {journal}")
    assert not broken, "\n".join(broken)
    assert figures["acknowledged"] > 50 and figures["deliveries"]["journal_rows"] >= figures["acknowledged"]
    assert [f["kind"] for f in figures["faults"]] == ["replica_kill9", "worker_sigterm", "db_restart"]
