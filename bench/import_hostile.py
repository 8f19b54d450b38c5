"""Hostile notice files against a real server: the answer, how long the other writes waited, and the server's memory.

The files are built here (nothing binary is committed):
  - slow PDF: one page whose content draws a form XObject that draws another, five deep and ten wide, ending in
    empty text operators: 6 kB that keep pypdf busy for some 25 s (pypdf stops at 5,000 form invocations a page);
  - 300-page PDF: 300 pages sharing that one content (53 kB; some 300 times as long to read: two hours);
  - big DOCX: a million short paragraphs, just under the zip-bomb bounds (50 MiB unpacked, ratio under 100);
  - memory PDF: one page showing a string of 70 million letters (70 kB packed);
  - a normal notice (a corpus notice as a Word document), for reference.

A fresh database and a `roviec serve` of its own (the settings' defaults, or the ones given). While each file is
uploaded by the secretariat, a second client (an agency) reports progress on its task in a loop; the same writes are
first timed with no upload running. Printed per file: the answer and its time, the other writes' wait (median and
max) and its ratio to the writes with no upload, and the server's resident memory before, at its peak during the
upload (sampled every 20 ms) and after.

    .venv/bin/python bench/import_hostile.py [--backend sqlite|postgresql] [--env ROVIEC_IMPORT_READ_SECONDS=20 ...]
                                             [--files normal,slow,pages,docx,memory] [--timeout 600]
"""

import argparse
import io
import os
import random
import statistics
import string
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
import zlib
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import BIN, PROJECT_DIR, free_port, fresh_database, make_token  # noqa: E402

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# ---- the files ----

def _pdf(objects: dict[int, bytes]) -> bytes:
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = out.tell()
        out.write(b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n")
    xref, size = out.tell(), max(objects) + 1
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % size)
    for number in range(1, size):
        out.write(b"%010d 00000 n \n" % offsets[number] if number in offsets else b"0000000000 65535 f \n")
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref))
    return out.getvalue()


def _stream(entries: bytes, data: bytes) -> bytes:
    return b"<< " + entries + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def slow_pdf(pages: int = 1, depth: int = 5, fan: int = 10, leaf: int = 500) -> bytes:
    """Pages that all draw form 10, which draws form 11 `fan` times, ... `depth` deep; the last draws `leaf` empty
    strings. Tiny, and every page costs pypdf fan**(depth-1) form invocations (it stops at 5,000, which already
    takes seconds)."""
    objects = {1: b"<< /Type /Catalog /Pages 2 0 R >>",
               3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
               4: _stream(b"", b"/X Do")}
    for level in range(depth):
        number = 10 + level
        if level == depth - 1:
            data, resources = b"BT /F1 12 Tf " + b"()Tj " * leaf + b"ET", b"<< /Font << /F1 3 0 R >> >>"
        else:
            data, resources = b"/X Do " * fan, b"<< /XObject << /X %d 0 R >> >>" % (number + 1)
        objects[number] = _stream(b"/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources " + resources,
                                  data)
    first_page = 100
    objects[2] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % (first_page + i) for i in range(pages)), pages)
    for i in range(pages):
        objects[first_page + i] = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                                   b"/Resources << /XObject << /X 10 0 R >> >> /Contents 4 0 R >>")
    return _pdf(objects)


def many_pages_pdf(pages: int = 300) -> bytes:
    return slow_pdf(pages=pages)


def memory_pdf(megabytes: int = 70) -> bytes:
    """One page showing one string of `megabytes` million letters (just under pypdf's 75 MB bound on an unpacked
    stream): some 70 kB that take pypdf hundreds of megabytes."""
    content = zlib.compress(b"BT /F1 12 Tf (" + b"a" * (megabytes * 1_000_000) + b") Tj ET", 9)
    return _pdf({1: b"<< /Type /Catalog /Pages 2 0 R >>", 2: b"<< /Type /Pages /Kids [5 0 R] /Count 1 >>",
                 3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
                 4: _stream(b"/Filter /FlateDecode", content),
                 5: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
                    b"/Contents 4 0 R >>"})


_DOCX_PARTS = {
    "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.'
    'openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxml'
    'formats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
    '"/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main'
    '+xml"/></Types>',
    "_rels/.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.'
    'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
}


def big_docx(unpacked_bytes: int = 49 * 1024 * 1024, seed: int = 7) -> bytes:
    """A Word document of short paragraphs of random letters up to `unpacked_bytes` of XML: under the importer's
    zip-bomb bounds (50 MiB unpacked, at most 100 times its packed size), millions of elements."""
    rng = random.Random(seed)
    head = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.'
            'openxmlformats.org/wordprocessingml/2006/main"><w:body>')
    tail = "</w:body></w:document>"
    paragraph = "<w:p><w:r><w:t>{}</w:t></w:r></w:p>"
    size = len(paragraph.format("x" * 8))
    count = (unpacked_bytes - len(head) - len(tail)) // size
    letters = rng.randbytes(count * 8).translate(bytes(string.ascii_letters.encode()[i % 52] for i in range(256)))
    body = "".join(paragraph.format(letters[i:i + 8].decode()) for i in range(0, count * 8, 8))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, part in _DOCX_PARTS.items():
            archive.writestr(name, part)
        archive.writestr("word/document.xml", head + body + tail)
    return out.getvalue()


def normal_docx() -> bytes:
    from tests.imports.builders import corpus_notice, notice_docx

    return notice_docx(corpus_notice("tb45_kinh_te_so"))


# ---- the run ----

def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class Writes:
    """An agency reporting progress on its task, one write after another, until stopped."""

    def __init__(self, base: str, token: str, task_id: int) -> None:
        self.client = httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=600)
        self.task_id = task_id
        self.times: list[float] = []
        self.failed = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def one(self, n: int) -> None:
        started = time.perf_counter()
        answer = self.client.post(f"/api/v1/tasks/{self.task_id}/progress", json={
            "status": "in_progress", "progress_percent": n % 100, "note": f"Báo cáo tiến độ lần {n}"})
        self.times.append(time.perf_counter() - started)
        self.failed += answer.status_code != 200

    def run_for(self, seconds: float) -> list[float]:
        self.times = []
        end = time.perf_counter() + seconds
        n = 0
        while time.perf_counter() < end:
            self.one(n)
            n += 1
            time.sleep(0.05)
        return self.times

    def start(self) -> None:
        self.times, self._stop = [], threading.Event()

        def loop() -> None:
            n = 0
            while not self._stop.is_set():
                self.one(n)
                n += 1
                time.sleep(0.05)

        self._thread = threading.Thread(target=loop, daemon=True)
        self._thread.start()

    def stop(self) -> list[float]:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        return self.times


def upload(base: str, token: str, name: str, content: bytes, content_type: str, pid: int, writes: Writes,
           timeout: float) -> dict:
    before = rss_mb(pid)
    peak = [before]
    sampling = threading.Event()

    def sample() -> None:
        while not sampling.is_set():
            peak[0] = max(peak[0], rss_mb(pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    writes.start()
    time.sleep(0.2)  # the writes are going before the upload starts
    started = time.perf_counter()
    try:
        answer = httpx.post(f"{base}/api/v1/imports", headers={"Authorization": f"Bearer {token}"},
                            files={"file": (name, content, content_type)}, timeout=timeout)
        status, body = answer.status_code, answer.json()
    except httpx.TimeoutException:
        status, body = "timeout", {}
    elapsed = time.perf_counter() - started
    waits = writes.stop()
    sampling.set()
    sampler.join()
    time.sleep(1.0)
    detail = body.get("detail")
    message = (detail[0].get("msg_vi") if isinstance(detail, list) and detail else
               (detail or {}).get("message_vi") if isinstance(detail, dict) else f"{len(body.get('drafts', []))} "
               "dự thảo")
    return {"status": status, "seconds": elapsed, "message": message, "waits": waits, "before": before,
            "peak": peak[0], "after": rss_mb(pid)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", default="sqlite", choices=("sqlite", "postgresql"))
    parser.add_argument("--env", action="append", default=[], help="a setting for the server, NAME=VALUE")
    parser.add_argument("--timeout", type=float, default=600, help="how long one upload may take, in seconds")
    parser.add_argument("--files", default="normal,slow,pages,docx,memory")
    args = parser.parse_args()
    builders = {"normal": ("normal notice (DOCX)", "thong-bao.docx", normal_docx, DOCX_TYPE),
                "slow": ("slow PDF", "cham.pdf", slow_pdf, "application/pdf"),
                "pages": ("300-page PDF", "300-trang.pdf", many_pages_pdf, "application/pdf"),
                "docx": ("big DOCX", "lon.docx", big_docx, DOCX_TYPE),
                "memory": ("memory PDF", "bo-nho.pdf", memory_pdf, "application/pdf")}
    files = [(label, name, build(), content_type)
             for label, name, build, content_type in (builders[key] for key in args.files.split(","))]
    with tempfile.TemporaryDirectory() as workdir, fresh_database(args.backend, Path(workdir)) as url:
        secretariat = make_token(url, "000.00.00.K01", "secretariat")
        agency = make_token(url, "000.00.00.G12", "agency")
        port = free_port()
        env = {**os.environ, "ROVIEC_DATABASE_URL": url, "ROVIEC_SCHEDULER": "off",
               **dict(item.split("=", 1) for item in args.env)}
        server = subprocess.Popen([str(BIN / "roviec"), "serve", "--port", str(port), "--no-access-log"], env=env,
                                  cwd=PROJECT_DIR, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                try:
                    if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.1)
            task_id = _task(base, secretariat)
            # Warm: the readers' fork server (started with the server) and a first notice read.
            httpx.post(f"{base}/api/v1/imports", headers={"Authorization": f"Bearer {secretariat}"},
                       files={"file": ("a.docx", normal_docx(), DOCX_TYPE)}, timeout=60).raise_for_status()
            writes = Writes(base, agency, task_id)
            writes.run_for(1)
            quiet = writes.run_for(10)
            quiet_median, quiet_max = statistics.median(quiet), max(quiet)
            print(f"backend {args.backend}; settings {' '.join(args.env) or 'defaults'}; "
                  f"file sizes: " + ", ".join(f"{label} {len(content) / 1024:,.0f} kB" for label, _, content, _
                                              in files))
            print(f"writes with no upload: {len(quiet)}, median {quiet_median * 1000:.0f} ms, "
                  f"max {quiet_max * 1000:.0f} ms")
            print("| file | size | answer | time | writes during | write wait median / max | ratio to no upload "
                  "(median / max) | server RSS before / peak / after |")
            print("|---|---:|---|---:|---:|---:|---:|---:|")
            for label, name, content, content_type in files:
                found = upload(base, secretariat, name, content, content_type, server.pid, writes, args.timeout)
                waits = found["waits"] or [0.0]
                median, longest = statistics.median(waits), max(waits)
                print(f"| {label} | {len(content) / 1024:,.0f} kB | {found['status']} {found['message']} | "
                      f"{found['seconds']:.1f} s | {len(found['waits'])} | {median * 1000:.0f} / "
                      f"{longest * 1000:.0f} ms | {median / quiet_median:.2f} / {longest / quiet_max:.2f} | "
                      f"{found['before']:.0f} / {found['peak']:.0f} / {found['after']:.0f} MB |", flush=True)
            if writes.failed:
                print(f"writes refused: {writes.failed}")
        finally:
            server.terminate()
            server.wait(timeout=30)


def _task(base: str, token: str) -> int:
    client = httpx.Client(base_url=f"{base}/api/v1", headers={"Authorization": f"Bearer {token}"}, timeout=30)
    agencies = {a["code"]: a["id"] for a in client.get("/agencies").json()}
    directive = client.get("/directives").json()["items"][0]
    deadline = time.strftime("%Y-12-31", time.localtime(time.time() + 400 * 86400))
    made = client.post("/tasks", json={
        "directive_id": directive["id"], "clause_ref": "Mục 1",
        "title": "Trình Chính phủ ban hành Nghị định sửa đổi Nghị định số 123/2020/NĐ-CP về hóa đơn",
        "objective": "Hoàn thiện khung pháp lý cho hóa đơn điện tử", "lead_agency_id": agencies["000.00.00.G12"],
        "coordinating_agency_ids": [], "accountable_official": "Bộ trưởng Bộ Tài chính", "deadline": deadline,
        "deliverable_type": "Nghị định", "deliverable_description": "Nghị định sửa đổi được Chính phủ ban hành",
        "expected_result": "Doanh nghiệp sử dụng hóa đơn điện tử theo quy định mới"})
    made.raise_for_status()
    return made.json()["id"]


if __name__ == "__main__":
    main()
