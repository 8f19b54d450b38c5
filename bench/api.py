"""API throughput against a bare FastAPI endpoint served the same way, in the same run.

For each backend: a fresh database with the seed plus N tasks (5 % overdue), `roviec serve` (uvicorn, one
worker) and `uvicorn bench.bare:app` (one worker), each driven by wrk with the same threads, connections
and duration, alternating bare / app so both see the same machine weather, three pairs per endpoint, and keeps the
median pair. Prints requests/s and the ratio.

    .venv/bin/python bench/api.py [--tasks 100000] [--duration 5] [--rounds 3] [--backends sqlite,postgresql]

Needs wrk (Debian package `wrk`).
"""

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import BIN, fresh_database, load_tasks, make_token, serve  # noqa: E402

TARGETS = {"get_task": 0.25, "list_overdue": 0.10, "post_progress": 0.10}


def wrk(base: str, script: str, *, duration: int, connections: int, workdir: Path) -> tuple[float, int]:
    path = workdir / "script.lua"
    path.write_text(script)
    output = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "-s", str(path), base],
                            capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    return rps, int(errors.group(1)) if errors else 0


def scripts(token: str, open_ids: list[int], max_id: int) -> dict[str, str]:
    auth = f'wrk.headers["Authorization"] = "Bearer {token}"\n'
    ids = ",".join(str(i) for i in open_ids[:20000])
    return {
        "bare": 'wrk.path = "/ok"\n',
        "get_task": auth
        + f'request = function() return wrk.format("GET", "/api/v1/tasks/" .. math.random(1, {max_id})) end\n',
        "list_overdue": auth + 'wrk.path = "/api/v1/tasks?timing=overdue&limit=50"\n',
        "post_progress": auth + 'wrk.headers["Content-Type"] = "application/json"\n'
        + f"local ids = {{{ids}}}\n"
        + 'local body = \'{"status": "in_progress", "progress_percent": 60, "note": "Đang hoàn thiện dự thảo"}\'\n'
        + 'request = function() return wrk.format("POST", "/api/v1/tasks/" .. ids[math.random(#ids)]'
        + ' .. "/progress", nil, body) end\n',
    }


def bench_backend(backend: str, args, workdir: Path) -> dict:
    with fresh_database(backend, workdir) as url:
        started = time.perf_counter()
        open_ids = load_tasks(url, args.tasks)
        print(f"[{backend}] loaded {args.tasks} tasks in {time.perf_counter() - started:.1f}s", flush=True)
        token = make_token(url, "000.00.00.K01", "secretariat")
        lua = scripts(token, open_ids, max_id=args.tasks + 27)
        results = {}
        with serve([str(BIN / "roviec"), "serve", "--no-access-log"], url, "/healthz") as app_base, \
                serve([str(BIN / "uvicorn"), "bench.bare:app", "--no-access-log", "--log-level", "warning"],
                      url, "/ok") as bare_base:
            for name in ("get_task", "list_overdue", "post_progress"):
                rounds = []
                for _ in range(args.rounds):
                    bare_rps, _ = wrk(bare_base, lua["bare"], duration=args.duration,
                                      connections=args.connections, workdir=workdir)
                    app_rps, errors = wrk(app_base, lua[name], duration=args.duration,
                                          connections=args.connections, workdir=workdir)
                    rounds.append((app_rps / bare_rps, app_rps, bare_rps, errors))
                ratio, app_rps, bare_rps, errors = sorted(rounds)[len(rounds) // 2]  # the median round
                results[name] = {"bare_rps": bare_rps, "rps": app_rps, "ratio": ratio,
                                 "errors": sum(r[3] for r in rounds)}
                print(f"[{backend}] {name:14s} {app_rps:8.0f} req/s  bare {bare_rps:8.0f} req/s  "
                      f"ratio {ratio:.3f} (median of {args.rounds}: "
                      f"{', '.join(f'{r[0]:.3f}' for r in rounds)}; target ≥ {TARGETS[name]})  "
                      f"non-2xx {results[name]['errors']}", flush=True)
            timings = []
            with httpx.Client(base_url=app_base, headers={"Authorization": f"Bearer {token}"}, timeout=60) as c:
                for _ in range(5):
                    started = time.perf_counter()
                    response = c.get("/api/v1/reports/summary")
                    timings.append(time.perf_counter() - started)
                    assert response.status_code == 200, response.text
            results["summary_seconds"] = statistics.median(timings)
            print(f"[{backend}] GET /reports/summary over {response.json()['total']} tasks: "
                  f"median {results['summary_seconds'] * 1000:.0f} ms (target < 1000 ms)", flush=True)
        return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    parser.add_argument("--rounds", type=int, default=3, help="bare/app pairs per endpoint; the median is kept")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("bench/api.py needs wrk: apt-get install wrk")
    with tempfile.TemporaryDirectory() as tmp:
        all_results = {backend: bench_backend(backend, args, Path(tmp)) for backend in args.backends.split(",")}
    print("\nbackend     endpoint                          req/s    bare    ratio  target")
    for backend, results in all_results.items():
        for name, target in TARGETS.items():
            r = results[name]
            print(f"{backend:11s} {name:30s} {r['rps']:8.0f} {r['bare_rps']:7.0f}  {r['ratio']:6.3f}  ≥ {target}")
        print(f"{backend:11s} {'reports/summary (ms)':30s} {results['summary_seconds'] * 1000:8.0f}")


if __name__ == "__main__":
    main()
