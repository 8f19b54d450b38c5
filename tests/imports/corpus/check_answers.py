#!/usr/bin/env python3
"""Validate a held-out corpus written to the conventions of heldout11 onwards (rounds 11 and 13-22 share them):
python3 tests/imports/corpus/check_answers.py tests/imports/corpus/heldout22 (exit 0 = clean).

Checks every NAME.txt / NAME.expected.json pair in that folder against the agency register
(seed/agencies.json) and the reorganisations (seed/reorganisations.json).
Set ROVIEC_SEED to point at another seed folder.
"""
import calendar, datetime as dt, json, os, re, sys, unicodedata

if len(sys.argv) != 2 or not os.path.isdir(sys.argv[1]):
    sys.exit("usage: check_answers.py CORPUS_FOLDER")
HERE = os.path.abspath(sys.argv[1])
SEED = os.environ.get("ROVIEC_SEED", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "seed"))
TYPES = {"Luật", "Nghị quyết", "Nghị định", "Quyết định", "Chỉ thị", "Thông tư", "Đề án", "Kế hoạch",
         "Báo cáo", "Văn bản hướng dẫn", "Công văn", "Hệ thống/Nền tảng", "Khác"}
TASK_KEYS = {"work", "lead", "collective", "coordinators", "unknown_coordinators", "deadline_on", "deliverable_type"}
MIN_TASKS, MAX_TASKS = 8, 18
TOTAL_MIN, TOTAL_MAX = 75, 100
ISSUED_MIN, ISSUED_MAX = dt.date(2026, 10, 1), dt.date(2026, 12, 5)
NAME_RE = re.compile(r"^h[1-7]_[a-z0-9_]+$")
EXPECTED_NOTICES = 7
# relative deadlines: "trong vòng 07 ngày kể từ ngày ký", "trong 10 ngày làm việc kể từ ngày ký"
# (the day of signing is not counted; working days skip Saturday, Sunday and the fixed-date holidays below)
REL_RE = re.compile(r"(\d{1,3}) ngày (làm việc )?kể từ ngày ký")
FIXED_HOLIDAYS = {(1, 1), (4, 30), (5, 1), (9, 2)}
# a day and month without a year ("trước ngày 25/12", "trước 30/11") belongs to the year of issue
YEARLESS_RE = re.compile(r"(?:ngày|trước) (\d{1,2})/(\d{1,2})(?![/\d])")
# "trong tháng này" (in a letter: this month) = the last day of the month of issue;
# "trước ngày 25 tháng này" = that day of the month of issue
THIS_MONTH_RE = re.compile(r"trong tháng này")
DAY_THIS_MONTH_RE = re.compile(r"ngày (\d{1,2}) tháng này")
# notices copied from a PDF: hard-wrapped lines of at most WRAP_WIDTH characters and bare page-number lines
# (none in this round; the check is kept for any notice listed here)
WRAPPED = set()
WRAP_WIDTH = 90

agencies = json.load(open(os.path.join(SEED, "agencies.json"), encoding="utf-8"))
if isinstance(agencies, dict):
    agencies = agencies.get("agencies", [])
by_code = {a["code"]: a["name"] for a in agencies}
names = set(by_code.values())
reorgs = json.load(open(os.path.join(SEED, "reorganisations.json"), encoding="utf-8"))

errors = []
def err(where, msg):
    errors.append(f"{where}: {msg}")

def merged_away(name, on):
    """Successor's name if `name` had been merged away on date `on`, else None."""
    for r in reorgs:
        if by_code.get(r["agency"]) == name and dt.date.fromisoformat(r["on"]) <= on:
            return by_code.get(r["into"], r["into"])
    return None

def deadline_forms(d):
    """Ways the notice may write deadline d (loose; joined text is searched)."""
    f = set()
    for dd in {str(d.day), f"{d.day:02d}"}:
        for mm in {str(d.month), f"{d.month:02d}"}:
            f.add(f"{dd}/{mm}/{d.year}")
            f.add(f"ngày {dd} tháng {mm} năm {d.year}")
    if d.day == calendar.monthrange(d.year, d.month)[1]:
        for mm in {str(d.month), f"{d.month:02d}"}:
            f.add(f"tháng {mm}/{d.year}")
            f.add(f"tháng {mm} năm {d.year}")
        q = {3: "I", 6: "II", 9: "III", 12: "IV"}.get(d.month)
        if q:
            f.add(f"quý {q}/{d.year}")
            f.add(f"quý {q} năm {d.year}")
        if d.month == 3:
            f.add(f"quý đầu năm {d.year}")
        if d.month == 6:
            f.add(f"sáu tháng đầu năm {d.year}")
            f.add(f"6 tháng đầu năm {d.year}")
        if d.month == 12:
            f.add(f"năm {d.year}")
    return f

files = sorted(os.listdir(HERE))
txts = {f[:-4] for f in files if f.endswith(".txt")}
jsons = {f[:-len(".expected.json")] for f in files if f.endswith(".expected.json")}
for n in sorted(txts ^ jsons):
    err(n, "missing .txt or .expected.json partner")
for n in sorted(txts | jsons):
    if not NAME_RE.match(n):
        err(n, "file name does not match h<1-7>_<snake_case>")
if len(txts & jsons) != EXPECTED_NOTICES:
    err("corpus", f"{len(txts & jsons)} notices, expected {EXPECTED_NOTICES}")

total = 0
for name in sorted(txts & jsons):
    raw = open(os.path.join(HERE, name + ".txt"), "rb").read()
    where = name
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        err(where, f"not UTF-8: {e}"); continue
    if text.startswith("\ufeff"):
        err(where, "BOM")
    if "\r" in text:
        err(where, "CR line ends")
    if unicodedata.normalize("NFC", text) != text:
        err(where, "text not NFC")
    if not text.endswith("\n"):
        err(where, "no final LF")
    flat = re.sub(r"\s+", " ", text).lower()
    if name in WRAPPED:
        lines = text.split("\n")[:-1]
        if max(len(l) for l in lines) > WRAP_WIDTH:
            err(where, f"a line is longer than {WRAP_WIDTH} characters in a hard-wrapped notice")
        if not any(re.fullmatch(r"\d{1,2}", l) for l in lines):
            err(where, "hard-wrapped notice has no page-number line")
        if sum(len(l) > WRAP_WIDTH - 15 for l in lines) < 20:
            err(where, "hard-wrapped notice is not really wrapped")

    jraw = open(os.path.join(HERE, name + ".expected.json"), encoding="utf-8").read()
    if unicodedata.normalize("NFC", jraw) != jraw:
        err(where, "json not NFC")
    try:
        doc = json.loads(jraw)
    except json.JSONDecodeError as e:
        err(where, f"bad JSON: {e}"); continue
    if set(doc) != {"header", "tasks"}:
        err(where, f"top-level keys {sorted(doc)}")
        continue
    h = doc["header"]
    if not isinstance(h, dict) or set(h) != {"number", "issued_on"}:
        err(where, f"header keys {h}"); continue
    # state documents write "Số: 528/TB-UBND"; Party documents write "Số 27-TB/BCĐ" (no colon)
    if f"\nSố: {h['number']}\n" not in text and f"\nSố {h['number']}\n" not in text:
        err(where, f"header number {h['number']!r} not written as 'Số: ...' or 'Số ...' on its own line")
    try:
        issued = dt.date.fromisoformat(h["issued_on"])
    except Exception:
        err(where, f"bad issued_on {h['issued_on']!r}"); continue
    if not (ISSUED_MIN <= issued <= ISSUED_MAX):
        err(where, f"issued_on {issued} outside {ISSUED_MIN}..{ISSUED_MAX}")
    if f"ngày {issued.day:02d} tháng {issued.month} năm {issued.year}" not in text and \
       f"ngày {issued.day} tháng {issued.month} năm {issued.year}" not in text:
        err(where, f"issue date {issued} not written in the header")
    implied = set()   # deadlines the notice states relative to its own issue date
    for m in REL_RE.finditer(flat):
        n, working = int(m.group(1)), bool(m.group(2))
        d = issued
        if working:
            k = 0
            while k < n:
                d += dt.timedelta(days=1)
                if d.weekday() < 5 and (d.month, d.day) not in FIXED_HOLIDAYS:
                    k += 1
        else:
            d += dt.timedelta(days=n)
        implied.add(d)
    if THIS_MONTH_RE.search(flat):
        implied.add(dt.date(issued.year, issued.month, calendar.monthrange(issued.year, issued.month)[1]))
    for m in DAY_THIS_MONTH_RE.finditer(flat):
        try:
            implied.add(dt.date(issued.year, issued.month, int(m.group(1))))
        except ValueError:
            pass
    for m in YEARLESS_RE.finditer(flat):
        try:
            implied.add(dt.date(issued.year, int(m.group(2)), int(m.group(1))))
        except ValueError:
            pass
    tasks = doc["tasks"]
    if not isinstance(tasks, list) or not (MIN_TASKS <= len(tasks) <= MAX_TASKS):
        err(where, f"{len(tasks)} tasks, expected {MIN_TASKS}-{MAX_TASKS}")
    total += len(tasks)
    seen = set()
    last_pos = -1
    for i, t in enumerate(tasks, 1):
        w = f"{name} task {i}"
        keys = set(t)
        if keys - {"lead_unknown"} != TASK_KEYS:
            err(w, f"keys {sorted(keys)}"); continue
        if "lead_unknown" in t and t["lead_unknown"] is not True:
            err(w, "lead_unknown present but not true")
        work = t["work"]
        if not isinstance(work, str) or unicodedata.normalize("NFC", work) != work:
            err(w, "work not an NFC string"); continue
        if "\n" in work or "\t" in work or work != work.strip():
            err(w, "work has a line break, tab or outer spaces")
        nw = len(work.split())
        if not 5 <= nw <= 15:
            err(w, f"work has {nw} words: {work!r}")
        cnt = len(re.findall("(?=" + re.escape(work) + ")", text))
        if cnt != 1:
            err(w, f"work occurs {cnt} times: {work!r}")
        else:
            pos = text.index(work)
            if pos < last_pos:
                err(w, "tasks are not in the order of the notice")
            last_pos = pos
        lead = t["lead"]
        if t["collective"] is True:
            if lead is not None or t.get("lead_unknown"):
                err(w, "collective task must have lead null and no lead_unknown")
        elif t["collective"] is False:
            if not isinstance(lead, str) or not lead:
                err(w, "non-collective task without a lead")
            elif t.get("lead_unknown"):
                if lead in names:
                    err(w, f"lead_unknown but {lead!r} is in the register")
                if lead not in text:
                    err(w, f"unknown lead {lead!r} not written in the notice")
            elif lead not in names:
                err(w, f"lead {lead!r} not in the register")
        else:
            err(w, "collective must be true or false")
        coords, unk = t["coordinators"], t["unknown_coordinators"]
        if not isinstance(coords, list) or not isinstance(unk, list):
            err(w, "coordinators must be lists"); continue
        for c in coords:
            if c not in names:
                err(w, f"coordinator {c!r} not in the register")
        for c in unk:
            if c in names:
                err(w, f"unknown coordinator {c!r} is in the register")
            if c not in text:
                err(w, f"unknown coordinator {c!r} not written in the notice")
        if len(set(coords)) != len(coords) or len(set(unk)) != len(unk):
            err(w, "duplicate coordinator")
        if lead is not None and (lead in coords or lead in unk):
            err(w, f"lead {lead!r} is also a coordinator")
        for a in ([lead] if lead and not t.get("lead_unknown") else []) + coords:
            s = merged_away(a, issued)
            if s:
                err(w, f"{a!r} was merged into {s!r} before {issued}")
        key = (work, lead)
        if key in seen and not t["collective"]:
            err(w, "same work and lead twice")
        seen.add(key)
        d = t["deadline_on"]
        if d is not None:
            try:
                dd = dt.date.fromisoformat(d)
            except Exception:
                err(w, f"deadline {d!r} is not a real ISO date"); dd = None
            if dd:
                if dd <= issued:
                    err(w, f"deadline {dd} not after issue date {issued}")
                if dd not in implied and not any(f.lower() in flat for f in deadline_forms(dd)):
                    err(w, f"deadline {dd} not written in any expected form in the notice")
        if t["deliverable_type"] not in TYPES:
            err(w, f"deliverable_type {t['deliverable_type']!r}")

if not (TOTAL_MIN <= total <= TOTAL_MAX):
    err("corpus", f"{total} tasks in all, expected {TOTAL_MIN}-{TOTAL_MAX}")

for e in errors:
    print(e)
print(f"{len(txts & jsons)} notices, {total} tasks, {len(errors)} problems")
sys.exit(1 if errors else 0)
