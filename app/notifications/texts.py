"""What a notification says, and the e-mails that carry it: a subject, the line a person reads (the webhooks' own
line where there is one, so a person and a chat tool read the same words), and each e-mail in plain text and HTML
with a link to the page (never the API) and one to change what one receives."""

from collections import defaultdict
from datetime import date
from typing import Any

from markupsafe import Markup

from app import messages

SERVICE = "Rõ Việc"
TITLE_IN_SUBJECT = 90
EXCERPT = 300


def short(text: str, limit: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def subject(event_type: str, about: str) -> str:
    """"Sắp đến hạn: Trình Chính phủ ban hành Nghị định …"."""
    return f"{messages.NOTIFICATION_SUBJECT_VI.get(event_type, messages.EVENT_VI.get(event_type, event_type))}: " \
           f"{short(about, TITLE_IN_SUBJECT)}"


def excerpt(row) -> str | None:
    """What a comment, an explanation or a reminder says: the journal row's note, or its data's text."""
    data = row.data or {}
    said = row.note or next((data[k] for k in ("body", "text", "note", "comment") if isinstance(data.get(k), str)),
                            None)
    return short(said, EXCERPT) if said else None


def said_line(kind_of_row: str, *, who: str, title: str, lead: str, deadline: str, said: str | None) -> str:
    """The line of a comment, an explanation asked for or given, or a reminder (events the webhooks' own line does
    not word)."""
    quoted = f": “{said}”" if said else "."
    title = short(title, 160)
    if "explanation" in kind_of_row and "answer" in kind_of_row:
        return f"{who} giải trình về nhiệm vụ '{title}'{quoted}"
    if "explanation" in kind_of_row:
        return f"{who} đề nghị {lead} giải trình về nhiệm vụ '{title}'{quoted}"
    if "remind" in kind_of_row:
        return f"{who} đôn đốc {lead} thực hiện nhiệm vụ '{title}' (thời hạn {deadline}){quoted}"
    return f"{who} cho ý kiến về nhiệm vụ '{title}' của {lead}{quoted}"


# ---------------------------------------------------------------- e-mails


def _footer(base_url: str, why: str) -> tuple[str, Markup]:
    preferences = f"{base_url}/account#notifications"
    text = (f"--\n{SERVICE} gửi thư này tự động; xin đừng trả lời thư. {why}\n"
            f"Thay đổi cách nhận thông báo: {preferences}\n")
    html = Markup('<hr><p style="color:#555d66;font-size:13px">{} gửi thư này tự động; xin đừng trả lời thư. {}<br>'
                  'Thay đổi cách nhận thông báo: <a href="{}">{}</a></p>').format(SERVICE, why, preferences,
                                                                                   preferences)
    return text, html


def _html(body: Markup) -> str:
    return str(Markup('<!doctype html><html lang="vi"><head><meta charset="utf-8"></head>'
                      '<body style="font-family:Arial,sans-serif;font-size:15px;line-height:1.5;color:#1b1f24">'
                      '{}</body></html>').format(body))


def notification_email(*, full_name: str, kind: str, subject_line: str, body: str, url: str,
                       base_url: str) -> tuple[str, str, str]:
    """(subject, text, html) of one notification sent at once."""
    label = messages.NOTIFICATION_KIND_VI.get(kind, kind)
    why = f"Bạn nhận thư vì đã chọn nhận “{label}” ngay khi có."
    footer_text, footer_html = _footer(base_url, why)
    opens = "Mở chỉ tiêu" if "/indicators/" in url else "Mở nhiệm vụ"
    text = f"Kính gửi {full_name},\n\n{body}\n\n{opens}: {url}\n\n{footer_text}"
    html = Markup("<p>Kính gửi {},</p><p>{}</p><p><a href=\"{}\">{}</a></p>{}").format(
        full_name, body, url, opens, footer_html)
    return f"[{SERVICE}] {subject_line}", text, _html(html)


def digest_email(*, full_name: str, day: date, items: list[dict[str, Any]], base_url: str) -> tuple[str, str, str]:
    """(subject, text, html) of a daily digest: its notifications grouped by kind, each with its page."""
    count = len(items)
    heading = f"Bản tin ngày {messages.vn_date(day)}: {count} thông báo"
    by_kind: dict[str, list[dict]] = defaultdict(list)
    for item in items:
        by_kind[item["kind"]].append(item)
    inbox = f"{base_url}/notifications"
    footer_text, footer_html = _footer(base_url, "Bạn nhận thư vì đã chọn nhận một số loại thông báo qua bản tin "
                                                 "hằng ngày.")
    lines = [f"Kính gửi {full_name},", "", f"Bản tin hằng ngày của {SERVICE}: {count} thông báo.", ""]
    parts = [Markup("<p>Kính gửi {},</p><p>Bản tin hằng ngày của {}: {} thông báo.</p>").format(
        full_name, SERVICE, count)]
    for kind, listed in by_kind.items():
        label = messages.NOTIFICATION_KIND_VI.get(kind, kind)
        lines.append(f"{label} ({len(listed)})")
        entries = Markup("").join(Markup('<li>{} <a href="{}">Xem</a></li>').format(i["body"], i["url"])
                                  for i in listed)
        parts.append(Markup("<h2 style=\"font-size:16px\">{} ({})</h2><ul>{}</ul>").format(label, len(listed),
                                                                                          entries))
        for item in listed:
            lines += [f"- {item['body']}", f"  {item['url']}"]
        lines.append("")
    lines += [f"Xem tất cả trong hộp thông báo: {inbox}", "", footer_text]
    parts.append(Markup('<p><a href="{}">Xem tất cả trong hộp thông báo</a></p>').format(inbox))
    parts.append(footer_html)
    return f"[{SERVICE}] {heading}", "\n".join(lines), _html(Markup("").join(parts))


def verify_email(*, full_name: str, username: str, link: str, hours: int, base_url: str) -> tuple[str, str, str]:
    """(subject, text, html) of the link that proves an address."""
    footer_text, footer_html = _footer(base_url, "Bạn nhận thư vì địa chỉ này vừa được ghi cho một tài khoản.")
    said = (f"Địa chỉ thư điện tử này vừa được ghi cho tài khoản {username} trên {SERVICE}. Để nhận thông báo qua "
            f"thư điện tử, hãy mở đường dẫn sau trong vòng {hours} giờ (đăng nhập nếu được hỏi):")
    text = (f"Kính gửi {full_name},\n\n{said}\n{link}\n\nNếu không phải bạn ghi địa chỉ này, hãy bỏ qua thư: "
            f"địa chỉ sẽ không được dùng.\n\n{footer_text}")
    html = Markup("<p>Kính gửi {},</p><p>{}</p><p><a href=\"{}\">Xác nhận địa chỉ thư điện tử</a></p>"
                  "<p>Nếu không phải bạn ghi địa chỉ này, hãy bỏ qua thư: địa chỉ sẽ không được dùng.</p>{}").format(
        full_name, said, link, footer_html)
    return f"[{SERVICE}] Xác nhận địa chỉ thư điện tử", text, _html(html)

