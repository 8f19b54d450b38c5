#!/usr/bin/env python3
"""Validate the held-out corpus 3 files in this folder.

Checks, for every NAME.txt / NAME.expected.json pair:
  * the notice is UTF-8 (no BOM), NFC, LF line ends, and its header carries the number and the issue date;
  * the JSON has the shape {"header": {"number", "issued_on"}, "tasks": [...]} with exactly the task keys
    work, lead, collective, coordinators, unknown_coordinators, deadline_on, deliverable_type
    (+ optional "lead_unknown": true);
  * each `work` is NFC, 5-15 words, and occurs exactly once (case-sensitive) in the notice;
  * each named lead / coordinator is a `name` in seed/agencies.json (unless lead_unknown / unknown_coordinators,
    which must NOT be in the register and must be written in the notice); no lead is also its own coordinator;
  * no lead or coordinator is an agency already merged away (seed/reorganisations.json) on the issue date;
  * deadlines are real ISO dates strictly after the issue date; issue dates are in 2025-2026;
  * deliverable types come from the list in AUTHOR_NOTES.md; 8-25 tasks per notice.
Exit status 0 when clean.
"""
import datetime as dt
import json
import pathlib
import re
import sys
import unicodedata

HERE = pathlib.Path(__file__).resolve().parent
SEED = HERE.parents[3] / "seed"
TYPES = {"Luật", "Nghị quyết", "Nghị định", "Quyết định", "Chỉ thị", "Thông tư", "Đề án", "Kế hoạch", "Báo cáo",
         "Văn bản hướng dẫn", "Công văn", "Hệ thống/Nền tảng", "Khác"}
KEYS = {"work", "lead", "collective", "coordinators", "unknown_coordinators", "deadline_on", "deliverable_type"}

agencies = json.loads((SEED / "agencies.json").read_text(encoding="utf-8"))
NAMES = {a["name"] for a in agencies}
CODE_NAME = {a["code"]: a["name"] for a in agencies}
MERGED = {}  # name -> (date, successor name)
reorg = SEED / "reorganisations.json"
if reorg.exists():
    for r in json.loads(reorg.read_text(encoding="utf-8")):
        MERGED[CODE_NAME[r["agency"]]] = (dt.date.fromisoformat(r["on"]), CODE_NAME[r["into"]])

errors = []


def err(name, msg):
    errors.append(f"{name}: {msg}")


def count_occurrences(text, needle):
    return len(re.findall("(?=" + re.escape(needle) + ")", text))


def parse_date(s):
    try:
        return dt.date.fromisoformat(s) if isinstance(s, str) and re.fullmatch(r"\d{4}-\d\d-\d\d", s) else None
    except ValueError:
        return None


txts = sorted(HERE.glob("*.txt"))
jsons = sorted(HERE.glob("*.expected.json"))
stems_t = {p.stem for p in txts}
stems_j = {p.name[: -len(".expected.json")] for p in jsons}
for s in sorted(stems_t ^ stems_j):
    err(s, "missing .txt or .expected.json partner")

total = 0
for stem in sorted(stems_t & stems_j):
    raw = (HERE / f"{stem}.txt").read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        err(stem, "BOM in notice")
    text = raw.decode("utf-8")
    if "\r" in text:
        err(stem, "CR line ends in notice")
    if unicodedata.normalize("NFC", text) != text:
        err(stem, "notice is not NFC")
    try:
        doc = json.loads((HERE / f"{stem}.expected.json").read_text(encoding="utf-8"))
    except ValueError as e:
        err(stem, f"bad JSON: {e}")
        continue
    if set(doc) != {"header", "tasks"}:
        err(stem, f"top-level keys {sorted(doc)}")
        continue
    hdr = doc["header"]
    if set(hdr) != {"number", "issued_on"}:
        err(stem, f"header keys {sorted(hdr)}")
        continue
    issued = parse_date(hdr["issued_on"])
    if not issued or not (2025 <= issued.year <= 2026):
        err(stem, f"issued_on {hdr['issued_on']!r} not a 2025-2026 date")
        continue
    if f"Số: {hdr['number']}" not in text:
        err(stem, f"'Số: {hdr['number']}' not in notice")
    m = re.search(r"ngày (\d{1,2}) tháng (\d{1,2}) năm (\d{4})", text)
    if not m or dt.date(int(m[3]), int(m[2]), int(m[1])) != issued:
        err(stem, "first 'ngày .. tháng .. năm ..' in the notice is not issued_on")
    tasks = doc["tasks"]
    if not isinstance(tasks, list) or not 8 <= len(tasks) <= 25:
        err(stem, f"{len(tasks)} tasks, want 8-25")
    total += len(tasks)
    seen_pairs = set()
    for i, t in enumerate(tasks, 1):
        where = f"{stem} task {i}"
        keys = set(t)
        if keys - {"lead_unknown"} != KEYS:
            err(where, f"keys {sorted(keys)}")
            continue
        if "lead_unknown" in t and t["lead_unknown"] is not True:
            err(where, "lead_unknown present but not true")
        work = t["work"]
        if not isinstance(work, str) or unicodedata.normalize("NFC", work) != work:
            err(where, "work not an NFC string")
            continue
        nw = len(work.split())
        if not 5 <= nw <= 15:
            err(where, f"work has {nw} words: {work!r}")
        c = count_occurrences(text, work)
        if c != 1:
            err(where, f"work occurs {c} times: {work!r}")
        if "\n" in work or "\t" in work:
            err(where, "work spans a line or a table cell")
        lead, coll = t["lead"], t["collective"]
        if not isinstance(coll, bool):
            err(where, "collective not a bool")
        if coll:
            if lead is not None or t.get("lead_unknown"):
                err(where, "collective task with a lead")
        elif not isinstance(lead, str) or not lead:
            err(where, "lead missing on a non-collective task")
        elif t.get("lead_unknown"):
            if lead in NAMES:
                err(where, f"lead_unknown but {lead!r} is in agencies.json")
            if lead not in text:
                err(where, f"unknown lead {lead!r} not written in the notice")
        elif lead not in NAMES:
            err(where, f"lead {lead!r} not in agencies.json")
        coords, ucoords = t["coordinators"], t["unknown_coordinators"]
        if not isinstance(coords, list) or not isinstance(ucoords, list):
            err(where, "coordinators not lists")
            continue
        for a in coords:
            if a not in NAMES:
                err(where, f"coordinator {a!r} not in agencies.json")
        for a in ucoords:
            if a in NAMES:
                err(where, f"unknown coordinator {a!r} is in agencies.json")
            if a not in text:
                err(where, f"unknown coordinator {a!r} not written in the notice")
        if len(set(coords)) != len(coords) or len(set(ucoords)) != len(ucoords):
            err(where, "duplicate coordinator")
        if lead is not None and (lead in coords or lead in ucoords):
            err(where, "lead is also a coordinator")
        for a in ([lead] if lead and not t.get("lead_unknown") else []) + coords:
            if a in MERGED and MERGED[a][0] <= issued:
                err(where, f"{a!r} was merged into {MERGED[a][1]!r} on {MERGED[a][0]}, before the notice")
        dl = t["deadline_on"]
        if dl is not None:
            d = parse_date(dl)
            if not d:
                err(where, f"deadline {dl!r} not a real ISO date")
            elif d <= issued:
                err(where, f"deadline {dl} not after issue date {issued}")
        if t["deliverable_type"] not in TYPES:
            err(where, f"deliverable_type {t['deliverable_type']!r}")
        pair = (work, lead if lead else "<collective>")
        if pair in seen_pairs:
            err(where, "same work and lead twice")
        seen_pairs.add(pair)
    print(f"{stem}: {len(tasks)} tasks")

print(f"total: {total} tasks in {len(stems_t & stems_j)} notices")
for e in errors:
    print("ERROR", e)
sys.exit(1 if errors else 0)
