"""The completion list over N tasks: time and peak memory per format, and CSV against the csv module alone; then
the PDF of a meeting's list.

A fresh database with the seed plus N tasks (35 % completed, 5 % overdue, with their journal); then each format is
written by `roviec export` in a process of its own, whose peak resident memory /usr/bin/time reports.
The baseline runs the list's own query in a process of its own and writes the raw rows with csv.writer and nothing
else; the ratio is the export's time over it (target ≤ 1.5). Targets: CSV and XLSX under 300 MB.

The PDF is made for a meeting's list, not for 100,000 tasks (ROVIEC_PDF_MAX_ROWS refuses more than 5,000): it is
measured on fresh databases of --pdf-tasks tasks each, with texts as long as the seed's and evidence links on the
completed tasks. Target: 1,000 tasks in under 10 s and 300 MB.

    .venv/bin/python bench/export.py [--tasks 100000] [--backend sqlite|postgresql] [--formats csv,xlsx,docx]
                                     [--pdf-tasks 1000,5000]
"""

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import BIN, PROJECT_DIR, fresh_database, load_tasks  # noqa: E402

MEMORY_TARGET_MB = 300
CSV_TARGET = 1.5
PDF_TARGET_TASKS, PDF_TARGET_SECONDS = 1000, 10.0


def run(command: list[str], url: str, **env_extra: str) -> tuple[float, float]:
    """Seconds and peak resident MB of one process, as /usr/bin/time (Debian package `time`) reads them: a child
    forked from this process would count this process's own memory, which the load made large, as its peak."""
    env = {**os.environ, "ROVIEC_DATABASE_URL": url, "ROVIEC_SCHEDULER": "off", **env_extra}
    started = time.perf_counter()
    result = subprocess.run(["/usr/bin/time", "-f", "peak-kb %M", *command], env=env, cwd=PROJECT_DIR,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(f"{command} failed: {result.stderr[-2000:]}")
    peak_kb = int(result.stderr.strip().splitlines()[-1].split()[-1])
    return elapsed, peak_kb / 1024


def baseline(output: str) -> None:
    """The same rows, from the same query, through csv.writer alone."""
    from app import clock
    from app.db import open_snapshot_session
    from app.reports import completion
    from app.reports.service import ReportScope

    with open_snapshot_session() as session, open(output, "w", newline="", encoding="utf-8-sig") as out:
        report = completion.build(session=session, as_of=clock.today(),
                                  scope=ReportScope())
        writer = csv.writer(out)
        for partition in session.execute(completion.list_query(report)).partitions():
            writer.writerows(partition)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--backend", default="sqlite")
    parser.add_argument("--formats", default="csv,xlsx,docx", help="pdf here needs ROVIEC_PDF_MAX_ROWS ≥ --tasks")
    parser.add_argument("--pdf-tasks", default="1000,5000", help="sizes of the PDF runs; empty: none")
    parser.add_argument("--rounds", type=int, default=3, help="CSV and baseline runs; the medians are kept")
    parser.add_argument("--baseline-only", metavar="FILE", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.baseline_only:
        baseline(args.baseline_only)
        return
    with tempfile.TemporaryDirectory() as tmp, fresh_database(args.backend, Path(tmp)) as url:
        started = time.perf_counter()
        load_tasks(url, args.tasks)
        print(f"[{args.backend}] loaded {args.tasks} tasks in {time.perf_counter() - started:.0f}s", flush=True)
        results = {}
        for fmt in args.formats.split(","):
            out = Path(tmp) / f"list.{fmt}"
            runs = []
            for _ in range(args.rounds if fmt == "csv" else 1):
                if fmt == "csv":
                    base = run([sys.executable, __file__, "--baseline-only", str(Path(tmp) / "base.csv")], url)
                    runs.append((run([str(BIN / "roviec"), "export", "--format", fmt, "-o", str(out)], url), base))
                else:
                    runs.append((run([str(BIN / "roviec"), "export", "--format", fmt, "-o", str(out)], url), None))
            runs.sort(key=lambda r: r[0][0])
            (seconds, memory), base = runs[len(runs) // 2]
            results[fmt] = (seconds, memory, base)
            extra = f"  csv module alone {base[0]:.1f}s ({base[1]:.0f} MB), ratio {seconds / base[0]:.2f}" if base \
                else ""
            print(f"[{args.backend}] {fmt:5s} {seconds:7.1f}s  peak {memory:6.0f} MB  "
                  f"{out.stat().st_size / 1e6:6.1f} MB file{extra}", flush=True)
        print(f"\n{args.tasks} tasks on {args.backend}")
        print("format   seconds  peak MB  target")
        for fmt, (seconds, memory, base) in results.items():
            target = []
            if fmt in ("csv", "xlsx"):
                target.append(f"memory < {MEMORY_TARGET_MB} MB {'✓' if memory < MEMORY_TARGET_MB else '✗'}")
            if base:
                ratio = seconds / base[0]
                met = "✓" if ratio <= CSV_TARGET else "✗"
                target.append(f"time {ratio:.2f}× the csv module (≤ {CSV_TARGET} {met})")
            print(f"{fmt:6s} {seconds:8.1f} {memory:8.0f}  {'; '.join(target)}")
    pdf_runs = [int(n) for n in args.pdf_tasks.split(",") if n.strip()]
    if pdf_runs:
        print("\nPDF of a meeting's list (texts as long as the seed's)")
        print("  tasks  seconds  peak MB   pages  target")
    for count in pdf_runs:
        seconds, memory, pages = pdf_run(args.backend, count)
        target = ""
        if count <= PDF_TARGET_TASKS:
            met = seconds < PDF_TARGET_SECONDS and memory < MEMORY_TARGET_MB
            target = f"< {PDF_TARGET_SECONDS:.0f} s and < {MEMORY_TARGET_MB} MB {'✓' if met else '✗'}"
        print(f"{count:7d} {seconds:8.1f} {memory:8.0f} {pages:7d}  {target}", flush=True)


def pdf_run(backend: str, count: int) -> tuple[float, float, int]:
    from pypdf import PdfReader

    with tempfile.TemporaryDirectory() as tmp, fresh_database(backend, Path(tmp)) as url:
        load_tasks(url, count, seed_texts=True)
        out = Path(tmp) / "list.pdf"
        seconds, memory = run([str(BIN / "roviec"), "export", "--format", "pdf", "-o", str(out)], url,
                              ROVIEC_PDF_MAX_ROWS=str(max(count + 100, 5000)))
        return seconds, memory, len(PdfReader(out).pages)


if __name__ == "__main__":
    main()
