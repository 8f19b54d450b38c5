"""Charts drawn on the server as SVG, inline in the page: nothing fetched, no script, no inline style (the pages'
CSP forbids it; colours come from classes in app.css). Each chart is an <svg role="img"> with a <title> and a <desc>
that say what it shows in words; the page puts the numbers beside it as text. A chart takes its figures ready made
(app/web/service.py assembles them from the services): no rule is computed here."""

from dataclasses import dataclass
from datetime import date

from markupsafe import Markup, escape

from app import messages


@dataclass(frozen=True)
class Part:
    label: str
    value: float
    css: str  # the class that colours it (app.css: .chart .k-…)


def _svg(width: int, height: int, title: str, desc: str, body: str, css: str) -> Markup:
    return Markup(
        f'<svg class="chart {escape(css)}" viewBox="0 0 {width} {height}" role="img" '
        f'preserveAspectRatio="xMinYMin meet" aria-labelledby="{{id}}-t {{id}}-d">'
        f'<title id="{{id}}-t">{escape(title)}</title><desc id="{{id}}-d">{escape(desc)}</desc>{body}</svg>')


_counter = 0


def _with_id(svg: Markup) -> Markup:
    """Each chart's title and description get ids of their own (several charts on one page)."""
    global _counter
    _counter = (_counter + 1) % 1_000_000
    return Markup(str(svg).replace("{id}", f"ch{_counter}"))


def stacked_bar(parts: list[Part], title: str) -> Markup:
    """One bar split into its parts (the 2×2 grid: completed on time, completed late, within the deadline, overdue),
    each as wide as its share; the shares in words in the description."""
    total = sum(p.value for p in parts)
    width, height = 400, 28
    x, body = 0.0, []
    for part in parts:
        if total and part.value:
            w = width * part.value / total
            body.append(f'<rect class="k-{escape(part.css)}" x="{x:.2f}" y="0" width="{w:.2f}" height="{height}">'
                        f'<title>{escape(part.label)}: {messages.vn_number(int(part.value))}</title></rect>')
            x += w
    if not total:
        body.append(f'<rect class="k-empty" x="0" y="0" width="{width}" height="{height}"/>')
    desc = "; ".join(f"{p.label}: {messages.vn_number(int(p.value))} ({_share(p.value, total)})" for p in parts)
    return _with_id(_svg(width, height, title, desc or "Không có số liệu", "".join(body), "bar"))


def _share(value: float, total: float) -> str:
    return f"{messages.vn_decimal(100 * value / total, 1)}%" if total else "0%"


def bars(rows: list[tuple[str, float, str]], title: str) -> Markup:
    """Horizontal bars, one per row (label, share 0..1, the figure as words): the completion rate per agency."""
    row_height, label_width, width = 22, 0, 400
    height = max(row_height, row_height * len(rows))
    body = []
    for i, (label, share, words) in enumerate(rows):
        y = i * row_height
        w = max(0.0, min(1.0, share)) * width
        body.append(f'<rect class="k-track" x="{label_width}" y="{y + 3}" width="{width}" height="{row_height - 6}"/>'
                    f'<rect class="k-rate" x="{label_width}" y="{y + 3}" width="{w:.2f}" height="{row_height - 6}">'
                    f'<title>{escape(label)}: {escape(words)}</title></rect>')
    desc = "; ".join(f"{label}: {words}" for label, _, words in rows)
    return _with_id(_svg(width, height, title, desc or "Không có số liệu", "".join(body), "bars"))


def columns(points: list[tuple[str, int]], title: str, unit: str) -> Markup:
    """Columns over time (label under each): the overdue tasks at the end of each month."""
    width, height, bottom = 400, 150, 20
    top = max((v for _, v in points), default=0) or 1
    step = width / max(1, len(points))
    body = []
    for i, (label, value) in enumerate(points):
        h = (height - bottom - 14) * value / top
        x = i * step + step * 0.15
        body.append(f'<rect class="k-overdue" x="{x:.2f}" y="{height - bottom - h:.2f}" width="{step * 0.7:.2f}" '
                    f'height="{h:.2f}"><title>{escape(label)}: {messages.vn_number(value)} {escape(unit)}</title>'
                    f'</rect>'
                    f'<text x="{x + step * 0.35:.2f}" y="{height - bottom - h - 3:.2f}" text-anchor="middle" '
                    f'class="v">{messages.vn_number(value)}</text>'
                    f'<text x="{x + step * 0.35:.2f}" y="{height - 5}" text-anchor="middle">{escape(label)}</text>')
    desc = "; ".join(f"{label}: {messages.vn_number(value)} {unit}" for label, value in points)
    return _with_id(_svg(width, height, title, desc or "Không có số liệu", "".join(body), "columns"))


@dataclass(frozen=True)
class Point:
    day: date  # the end of the period the value is for
    value: float
    label: str  # the period and the value in words


def indicator_path(points: list[Point], path: tuple[Point, Point] | None, title: str, *, small: bool = False) -> Markup:
    """An indicator's values (dots joined by a line) against the straight path from its baseline to its target
    (dashed), the target marked at the period's end. `small`: the board's thumbnail (no axis labels)."""
    width, height = (160, 48) if small else (480, 200)
    pad_x, pad_top, pad_bottom = (4, 4, 4) if small else (8, 14, 22)
    days = [p.day for p in points] + ([path[0].day, path[1].day] if path else [])
    values = [p.value for p in points] + ([path[0].value, path[1].value] if path else [])
    if not days:
        return _with_id(_svg(width, height, title, "Chưa có số liệu",
                             f'<text x="{width / 2}" y="{height / 2}" text-anchor="middle">Chưa có số liệu</text>',
                             "line small" if small else "line"))
    first, last = min(days), max(days)
    low, high = min(values), max(values)
    if high == low:
        low, high = low - 1, high + 1
    span_days = max(1, (last - first).days)

    def x(day: date) -> float:
        return pad_x + (width - 2 * pad_x) * (day - first).days / span_days

    def y(value: float) -> float:
        return pad_top + (height - pad_top - pad_bottom) * (high - value) / (high - low)

    body = []
    if path:
        start, end = path
        body.append(f'<line class="k-path" x1="{x(start.day):.1f}" y1="{y(start.value):.1f}" x2="{x(end.day):.1f}" '
                    f'y2="{y(end.value):.1f}"/>'
                    f'<circle class="k-target" cx="{x(end.day):.1f}" cy="{y(end.value):.1f}" r="{3 if small else 5}">'
                    f'<title>{escape(end.label)}</title></circle>')
    ordered = sorted(points, key=lambda p: p.day)
    if len(ordered) > 1:
        line = " ".join(f"{x(p.day):.1f},{y(p.value):.1f}" for p in ordered)
        body.append(f'<polyline class="k-values" points="{line}"/>')
    for p in ordered:
        body.append(f'<circle class="k-value" cx="{x(p.day):.1f}" cy="{y(p.value):.1f}" r="{2 if small else 4}">'
                    f'<title>{escape(p.label)}</title></circle>')
    if not small:
        body.append(f'<text x="{pad_x}" y="{height - 6}">{messages.vn_date(first)}</text>'
                    f'<text x="{width - pad_x}" y="{height - 6}" text-anchor="end">{messages.vn_date(last)}</text>')
    parts = []
    if ordered:
        parts.append("Số liệu: " + "; ".join(p.label for p in ordered))
    else:
        parts.append("Chưa có số liệu")
    if path:
        parts.append(f"đường tiến độ từ {path[0].label} đến {path[1].label}")
    return _with_id(_svg(width, height, title, "; ".join(parts), "".join(body), "line small" if small else "line"))
