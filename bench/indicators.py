"""The indicators board: every indicator's status in one request, against the task list's first page in the same run.

For each backend: a fresh database (the seed, N tasks, and the indicators: 2,000 by default, 5 years of values of
each one's frequency, monthly mostly, so about 120,000 measurements, corrections included; a yearly target per
calendar year, a fifth of them revised in July), `roviec serve`, a secretariat token; then, in turns,
`GET /api/v1/tasks` (its first page, the baseline), `GET /api/v1/indicators` (all of them, as of today) and
`GET /api/v1/indicators?as_of=<a day 400 days back>`, each R times. Prints median and p90 of the whole answer
(status line, headers and body read), the server's CPU time for it (its threads' time on a CPU, from /proc: what the
request cost it, less sensitive than the wall clock to what else the shared machine runs), and each board's median
over the task list's in the same run.
Target (issue 22): the board under 300 ms on both databases.

    .venv/bin/python bench/indicators.py   # --indicators 2000 --years 5 --requests 15 --backends sqlite,postgresql

The data is loaded with bulk INSERTs straight into the migrated schema (ids given in the order of `recorded_at`,
as the service would have given them); a correction supersedes an earlier value of the same period and is recorded
later, some are corrected twice, a few periods get a second value without naming the first (the later one counts),
and about 3 % of periods have no value at all.
"""

import argparse
import collections
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager, suppress
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

import httpx
from sqlalchemy import func, insert, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from app.agencies.models import Agency  # noqa: E402
from app.config import Settings  # noqa: E402
from app.db import make_engine  # noqa: E402
from app.directives.models import Directive  # noqa: E402
from app.indicators.models import Indicator, IndicatorMeasurement, IndicatorTarget, IndicatorTask  # noqa: E402
from app.tasks.models import Task  # noqa: E402
from bench.common import BIN, PROJECT_DIR, free_port, fresh_database, load_tasks, make_token  # noqa: E402

TARGET_MS = 300
GROUPS = ("Chính quyền số", "Kinh tế số", "Xã hội số", "Hạ tầng số")
KINDS = ("percentage",) * 5 + ("ratio",) * 2 + ("count", "amount", "yes_no")


def _periods(frequency: str, first_month: int, last_month: int) -> list[tuple[str, date]]:
    """(text, last day) of each period of `frequency` whose months all lie in [first_month, last_month]
    (months counted as year * 12 + month - 1)."""
    size = {"monthly": 1, "quarterly": 3, "half_yearly": 6, "yearly": 12}[frequency]
    found = []
    for start in range(first_month, last_month + 1):
        year, month = divmod(start, 12)
        if month % size or start + size - 1 > last_month:
            continue
        end_year, end_month = divmod(start + size, 12)
        end = date(end_year, end_month + 1, 1) - timedelta(days=1)
        text = {"monthly": f"{year}-{month + 1:02d}", "quarterly": f"{year}-Q{month // 3 + 1}",
                "half_yearly": f"{year}-H{month // 6 + 1}", "yearly": f"{year}"}[frequency]
        found.append((text, end))
    return found


def load_indicators(url: str, count: int, years: int, *, seed: int = 11) -> dict[str, int]:
    rng = random.Random(seed)
    settings = Settings(database_url=url)
    tz = settings.tz
    now = datetime.now(UTC)
    today = now.astimezone(tz).date()

    def at(day: date, hour: int = 9) -> datetime:  # a local time of day, as stored (UTC)
        return datetime.combine(day, clock_time(hour), tz).astimezone(UTC)

    engine = make_engine(settings.sqlalchemy_url)
    with engine.begin() as conn:
        agency_ids = [r.id for r in conn.execute(select(Agency.id).where(Agency.kind != "committee"))]
        directive_ids = [r.id for r in conn.execute(select(Directive.id))]
        task_ids = [r.id for r in conn.execute(select(Task.id).order_by(Task.id))]
        first_indicator = (conn.scalar(select(func.max(Indicator.id))) or 0) + 1
        first_target = (conn.scalar(select(func.max(IndicatorTarget.id))) or 0) + 1
        first_measurement = (conn.scalar(select(func.max(IndicatorMeasurement.id))) or 0) + 1
    last_month = today.year * 12 + today.month - 2  # the last whole month
    first_month = last_month - 12 * years + 1
    indicators, targets, links, readings = [], [], [], []
    created = at(date(first_month // 12, first_month % 12 + 1, 1)) - timedelta(days=30)
    for offset in range(count):
        indicator_id = first_indicator + offset
        roll = offset % 20
        frequency = ("monthly" if roll < 18 else "quarterly" if roll < 19
                     else ("half_yearly", "yearly")[(offset // 20) % 2])
        kind = KINDS[offset % len(KINDS)]
        decrease = kind in ("count", "amount") and offset % 3 == 0
        indicators.append({
            "id": indicator_id, "code": f"BM-{offset + 1:04d}", "name": f"Chỉ tiêu đo hiệu năng số {offset + 1}",
            "unit": {"percentage": "%", "ratio": "%", "count": "thủ tục", "amount": "tỷ đồng", "yes_no": ""}[kind],
            "kind": kind, "direction": "decrease" if decrease else "increase",
            "comparator": "<=" if decrease else ">=", "group_name": GROUPS[offset % len(GROUPS)],
            "source_directive_id": directive_ids[offset % len(directive_ids)], "source_document": "",
            "reporting_agency_id": agency_ids[offset % len(agency_ids)], "frequency": frequency,
            "contributing_agency_ids": [agency_ids[(offset + 7) % len(agency_ids)]], "created_at": created,
            "created_by_agency_id": None})
        for task_id in rng.sample(task_ids, rng.randint(0, 3)):
            links.append({"indicator_id": indicator_id, "task_id": task_id})
        # A trend per indicator: its value month by month, with noise; targets a little above or below it.
        scale = {"percentage": 1.0, "ratio": 1.0, "count": 40.0, "amount": 250.0, "yes_no": 1.0}[kind]
        start_value = rng.uniform(20, 60) * scale
        slope = rng.uniform(0.2, 0.9) * scale * (-1 if decrease else 1)
        switch_month = first_month + rng.randint(0, 12 * years + 12)  # a yes-no indicator turns 1 here

        def trend(month: float, kind=kind, start_value=start_value, slope=slope, switch_month=switch_month) -> float:
            if kind == "yes_no":
                return 1.0 if month >= switch_month else 0.0
            value = max(0.0, start_value + slope * (month - first_month))
            return min(value, 100.0) if kind in ("percentage", "ratio") else value

        for year in range(first_month // 12, today.year + 1):
            year_end = year * 12 + 11
            wanted = trend(year_end) * rng.uniform(0.95, 1.12) ** (-1 if decrease else 1)
            if kind in ("percentage", "ratio"):
                wanted = min(wanted, 100.0)
            if kind == "yes_no":
                wanted = 1.0
            baseline_on = date(year - 1, 12, 31)
            row = {"indicator_id": indicator_id, "period": str(year), "value": round(wanted, 2),
                   "baseline_value": round(trend(year * 12 - 1), 2), "baseline_on": baseline_on,
                   "note": None, "set_at": at(date(year - 1, 12, 15)), "set_by_agency_id": None,
                   "set_by_account_id": None, "replaced_at": None}
            if rng.random() < 0.2 and at(date(year, 7, 1)) < now:  # revised in July; the first one kept
                revised_at = at(date(year, 7, 1))
                targets.append(row | {"replaced_at": revised_at})
                row = row | {"value": round(wanted * rng.uniform(0.9, 1.05), 2) if kind != "yes_no" else 1.0,
                             "set_at": revised_at, "note": "Điều chỉnh chỉ tiêu giữa năm"}
            targets.append(row)
        for text, end in _periods(frequency, first_month, last_month):
            recorded = at(end + timedelta(days=rng.randint(3, 12)))
            if rng.random() < 0.03 or recorded >= now:
                continue  # not reported
            month = end.year * 12 + end.month - 1
            value = trend(month + rng.uniform(-1, 1)) if kind != "yes_no" else trend(month)
            readings.append((recorded, indicator_id, kind, text, value, None))
            roll = rng.random()
            if roll < 0.07:  # corrected (official figures), a tenth of them twice
                corrected = recorded + timedelta(days=rng.randint(10, 30))
                if corrected < now:
                    readings.append((corrected, indicator_id, kind, text, value * rng.uniform(0.97, 1.03), -1))
                    if roll < 0.007 and corrected + timedelta(days=15) < now:
                        readings.append((corrected + timedelta(days=15), indicator_id, kind, text, value, -1))
            elif roll < 0.08 and recorded + timedelta(days=5) < now:  # a second value, not naming the first
                readings.append((recorded + timedelta(days=5), indicator_id, kind, text, value * 1.01, None))
    readings.sort(key=lambda r: (r[0], r[1]))
    measurements, last_of = [], {}
    for number, (recorded, indicator_id, kind, text, value, supersedes) in enumerate(readings):
        measurement_id = first_measurement + number
        numerator = denominator = None
        if kind == "yes_no":
            value = 1.0 if value >= 0.5 else 0.0
        elif kind == "ratio":
            denominator = float(rng.randint(200, 5000))
            numerator = round(denominator * min(value, 100.0) / 100)
            value = round(numerator / denominator * 100, 6)
        elif kind == "percentage":
            value = round(min(max(value, 0.0), 100.0), 2)
        else:
            value = round(value, 1)
        measurements.append({
            "id": measurement_id, "indicator_id": indicator_id, "period": text, "value": value,
            "numerator": numerator, "denominator": denominator, "official": supersedes is not None,
            "source": "Hệ thống thông tin báo cáo", "evidence_url": None, "note": None,
            "supersedes_id": last_of[(indicator_id, text)] if supersedes is not None else None,
            "recorded_at": recorded, "recorded_by_agency_id": None, "recorded_by_token_id": None,
            "recorded_by_account_id": None})
        last_of[(indicator_id, text)] = measurement_id
    for number, row in enumerate(sorted(targets, key=lambda t: (t["set_at"], t["indicator_id"]))):
        row["id"] = first_target + number
    with engine.begin() as conn:
        conn.execute(insert(Indicator), indicators)
        conn.execute(insert(IndicatorTarget), targets)
        if links:
            conn.execute(insert(IndicatorTask), links)
        for start in range(0, len(measurements), 10000):
            conn.execute(insert(IndicatorMeasurement), measurements[start:start + 10000])
        if engine.dialect.name == "postgresql":
            for table in ("indicators", "indicator_targets", "indicator_measurements"):
                conn.exec_driver_sql(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                     f"(SELECT max(id) FROM {table}))")
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE")
    engine.dispose()
    return {"indicators": len(indicators), "targets": len(targets), "revised": sum(t["replaced_at"] is not None
                                                                                    for t in targets),
            "measurements": len(measurements), "corrections": sum(m["supersedes_id"] is not None
                                                                  for m in measurements), "task links": len(links)}


@contextmanager
def serve(url: str):
    """`roviec serve` as bench/common.py starts it; yields its address and process id."""
    port = free_port()
    env = {**os.environ, "ROVIEC_DATABASE_URL": url, "ROVIEC_SCHEDULER": "off", "ROVIEC_RATE_LIMIT_PER_TOKEN": "0"}
    process = subprocess.Popen([str(BIN / "roviec"), "serve", "--no-access-log", "--port", str(port)], env=env,
                               cwd=PROJECT_DIR, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            raise RuntimeError("roviec serve did not start")
        yield base, process.pid
    finally:
        process.terminate()
        process.wait(timeout=15)


def cpu_ns(pid: int) -> int:
    """The server's time on a CPU so far, all its threads (the scheduler's count, in ns): what a request cost it,
    whatever else the machine was running meanwhile."""
    total = 0
    for thread in Path(f"/proc/{pid}/task").iterdir():
        with suppress(FileNotFoundError, ProcessLookupError):
            total += int((thread / "schedstat").read_text().split()[0])
    return total


def timed(client: httpx.Client, path: str, pid: int) -> tuple[float, float, httpx.Response]:
    """Wall time of the whole answer (body read) and the server's CPU time for it, in ms."""
    cpu, started = cpu_ns(pid), time.perf_counter()
    response = client.get(path)
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, (path, response.status_code, response.text[:300])
    return elapsed, (cpu_ns(pid) - cpu) / 1e6, response


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def bench_backend(backend: str, args, workdir: Path) -> dict[str, tuple[float, float, float]]:
    with fresh_database(backend, workdir) as url:
        started = time.perf_counter()
        load_tasks(url, args.tasks)
        counts = load_indicators(url, args.indicators, args.years)
        print(f"[{backend}] loaded {args.tasks} tasks and {', '.join(f'{v:,} {k}' for k, v in counts.items())} in "
              f"{time.perf_counter() - started:.1f}s", flush=True)
        token = make_token(url, "000.00.00.K01", "secretariat")
        past = (datetime.now(UTC).astimezone(Settings().tz).date() - timedelta(days=400)).replace(day=20).isoformat()
        targets = {"GET /tasks (first page)": "/api/v1/tasks",
                   "GET /indicators": "/api/v1/indicators",
                   f"GET /indicators?as_of={past}": f"/api/v1/indicators?as_of={past}"}
        with serve(url) as (base, pid), \
                httpx.Client(base_url=base, timeout=120, headers={"Authorization": f"Bearer {token}"}) as client:
            for name, path in targets.items():  # warm caches and prepared statements; what the board says
                for _ in range(2):
                    *_, response = timed(client, path, pid)
                if "indicators" in path:
                    board = response.json()
                    statuses = collections.Counter(str(i["status"]) for i in board)
                    print(f"[{backend}] {name}: {len(board)} indicators, {len(response.content) / 1e6:.1f} MB, "
                          f"{dict(sorted(statuses.items()))}", flush=True)
            times: dict[str, list[float]] = {name: [] for name in targets}
            cpu: dict[str, list[float]] = {name: [] for name in targets}
            for _ in range(args.requests):
                for name, path in targets.items():
                    elapsed, spent, _ = timed(client, path, pid)
                    times[name].append(elapsed)
                    cpu[name].append(spent)
    found = {name: (statistics.median(values), percentile(values, 0.9), statistics.median(cpu[name]))
             for name, values in times.items()}
    for name, (median, p90, spent) in found.items():
        print(f"[{backend}] {name:<38} median {median:8.1f} ms  p90 {p90:8.1f} ms  server CPU {spent:7.1f} ms",
              flush=True)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--indicators", type=int, default=2000)
    parser.add_argument("--years", type=int, default=5, help="years of values before the last whole month")
    parser.add_argument("--tasks", type=int, default=5000, help="tasks besides the seed's (the baseline's list)")
    parser.add_argument("--requests", type=int, default=15, help="requests of each kind, in turns")
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        results = {backend: bench_backend(backend, args, Path(tmp)) for backend in args.backends.split(",")}
    print(f"\n{'backend':<11} {'request':<38} {'median ms':>10} {'p90 ms':>8} {'x task list':>11} "
          f"{'server CPU ms':>13} {'x':>6}  target")
    for backend, found in results.items():
        baseline, _, baseline_cpu = found["GET /tasks (first page)"]
        for name, (median, p90, spent) in found.items():
            target = "" if "indicators" not in name else f"< {TARGET_MS} ms " + ("✓" if median < TARGET_MS else "✗")
            print(f"{backend:<11} {name:<38} {median:>10.1f} {p90:>8.1f} {median / baseline:>11.1f} {spent:>13.1f} "
                  f"{spent / baseline_cpu:>6.1f}  {target}")


if __name__ == "__main__":
    main()
