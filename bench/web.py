"""Time to first byte of the web pages with 100,000 tasks, against the API call that lists the same tasks.

For each backend: a fresh database with the seed plus N tasks (5 % overdue), `roviec serve`, a secretariat account
signed in; then, in turns, the dashboard, the task list filtered on overdue tasks, a task page, and
`GET /api/v1/tasks?timing=overdue&limit=50` (the list's own API call), each requested R times one after another.
Prints median and p95 of the time to the first byte of the answer, and each page's ratio to the API call that
answers the same question. A task page shows what three API calls give (the task, its journal, its requests): it is
compared with them one after another, and with `GET /tasks/{id}` alone.
Targets: each page's p95 under 150 ms, and no page more than 2x its API call (median).

    .venv/bin/python bench/web.py                  # --tasks 100000 --requests 60 --backends sqlite,postgresql
"""

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import BIN, fresh_database, load_tasks, make_token, roviec, serve  # noqa: E402


def ttfb(client: httpx.Client, path: str | list[str]) -> float:
    if isinstance(path, list):  # calls a client makes one after another for one screen
        return sum(ttfb(client, one) for one in path)
    started = time.perf_counter()
    with client.stream("GET", path) as response:
        elapsed = time.perf_counter() - started
        response.read()
        assert response.status_code == 200, (path, response.status_code)
    return elapsed * 1000


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def sign_in(base: str, username: str, password: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=60)
    page = client.get("/login")
    token = re.search(r'name="login_token" value="([^"]+)"', page.text)[1]
    answer = client.post("/login", data={"username": username, "password": password, "login_token": token,
                                         "next": "/"})
    assert answer.status_code == 303, answer.text[:500]
    return client


def bench_backend(backend: str, args, workdir: Path) -> dict[str, tuple[float, float]]:
    with fresh_database(backend, workdir) as url:
        started = time.perf_counter()
        open_ids = load_tasks(url, args.tasks)
        print(f"[{backend}] loaded {args.tasks} tasks in {time.perf_counter() - started:.1f}s", flush=True)
        token = make_token(url, "000.00.00.K01", "secretariat")
        password = roviec(url, "user", "create", "--username", "bench", "--agency", "000.00.00.K01", "--role",
                          "secretariat", "--full-name", "Cán bộ đo hiệu năng").strip().splitlines()[-1]
        with serve([str(BIN / "roviec"), "serve", "--no-access-log"], url, "/healthz") as base:
            page = sign_in(base, "bench", password)
            api = httpx.Client(base_url=base, timeout=60, headers={"Authorization": f"Bearer {token}"})
            task_id = open_ids[len(open_ids) // 2]
            targets = {
                "dashboard": (page, "/"),
                "task list (overdue)": (page, "/tasks?timing=overdue"),
                "task page": (page, f"/tasks/{task_id}"),
                "API GET /tasks?timing=overdue": (api, "/api/v1/tasks?timing=overdue&limit=50"),
                "API GET /tasks/{id}": (api, f"/api/v1/tasks/{task_id}"),
                "API task + history + requests": (api, [f"/api/v1/tasks/{task_id}", f"/api/v1/tasks/{task_id}/history",
                                                        f"/api/v1/extension-requests?task_id={task_id}"]),
                "API GET /reports/summary": (api, "/api/v1/reports/summary"),
            }
            for client, path in targets.values():  # warm caches and prepared statements
                for _ in range(3):
                    ttfb(client, path)
            times: dict[str, list[float]] = {name: [] for name in targets}
            for _ in range(args.requests):
                for name, (client, path) in targets.items():
                    times[name].append(ttfb(client, path))
            page.close()
            api.close()
    return {name: (statistics.median(values), percentile(values, 0.95)) for name, values in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        results = {backend: bench_backend(backend, args, Path(tmp)) for backend in args.backends.split(",")}
    # Each page against the API call that answers the same question.
    counterpart = {"dashboard": "API GET /reports/summary", "task list (overdue)": "API GET /tasks?timing=overdue",
                   "task page": "API task + history + requests"}
    print(f"\n{'backend':<11} {'page':<30} {'median ms':>10} {'p95 ms':>8} {'x list API':>10} {'x own API':>9}  target")
    for backend, found in results.items():
        list_api = found["API GET /tasks?timing=overdue"][0]
        for name, (median, p95) in found.items():
            own = median / found[counterpart[name]][0] if name in counterpart else 1.0
            target = "" if name.startswith("API") else ("p95 < 150 ms " + ("✓" if p95 < 150 else "✗") +
                                                       ", ≤ 2x own API " + ("✓" if own <= 2 else "✗"))
            print(f"{backend:<11} {name:<30} {median:>10.1f} {p95:>8.1f} {median / list_api:>10.2f} {own:>9.2f}  "
                  f"{target}")


if __name__ == "__main__":
    main()
