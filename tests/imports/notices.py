"""A minimal notice around a few clauses, for tests of one shape at a time; and the notice the API and the pages
import."""

from pathlib import Path

from app.imports import load_seed_agencies, parse_notice
from tests.dates import year_ahead

AGENCIES = load_seed_agencies()

HEADER = """VĂN PHÒNG CHÍNH PHỦ
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 502/TB-VPCP
Hà Nội, ngày 09 tháng 11 năm 2022

THÔNG BÁO
Kết luận của Thủ tướng Chính phủ tại Phiên họp thứ tư của Ủy ban Quốc gia về chuyển đổi số

Ngày 28 tháng 10 năm 2022, Thủ tướng Chính phủ chủ trì Phiên họp. Thủ tướng Chính phủ kết luận như sau:
"""
FOOTER = """
Văn phòng Chính phủ thông báo để các cơ quan biết, thực hiện./.
Nơi nhận:
- Như trên;
- Lưu: VT, KSTT.
KT. BỘ TRƯỞNG, CHỦ NHIỆM
PHÓ CHỦ NHIỆM
Trần Văn Sơn
"""


def notice(body: str) -> str:
    return HEADER + body.strip("\n") + "\n" + FOOTER


def drafts(body: str):
    return parse_notice(notice(body), AGENCIES).drafts


def lead(draft) -> str | None:
    return draft.lead.name if draft.lead else None


def api_notice(number: str) -> str:
    """A notice of November 2026 whose deadlines fall next year (`{year}` in the file): still ahead, so its tasks
    can be committed today."""
    text = (Path(__file__).parent / "api_notice.txt").read_text(encoding="utf-8")
    return text.replace("{number}", number).replace("{year}", str(year_ahead(1)))
