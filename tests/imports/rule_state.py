"""A parse state run through the importer's rules up to one of them, for the tests of each rule."""

from app.imports.gazetteer import load_seed_agencies
from app.imports.parser import RULES
from app.imports.state import ParseState

AGENCIES = load_seed_agencies()

HEAD = """ỦY BAN NHÂN DÂN TỈNH MẪU
Số: 77/TB-UBND
Thị trấn Mẫu, ngày 03 tháng 02 năm 2025

THÔNG BÁO
Ý kiến kết luận của Chủ tịch tại buổi làm việc về hạ tầng số

Ngày 28 tháng 01 năm 2025, Chủ tịch đã nghe báo cáo. Chủ tịch kết luận như sau:
"""
TAIL = """
Ủy ban nhân dân tỉnh thông báo để các cơ quan biết, thực hiện./.
Nơi nhận:
- Lưu: VT.
"""


def state_after(text: str, last_rule) -> ParseState:
    """The state once `last_rule` (one of parser.RULES) has run."""
    state = ParseState(text, AGENCIES)
    for rule in RULES:
        rule(state)
        if rule is last_rule:
            return state
    raise AssertionError(f"{last_rule} is not a rule of the chain")


def read(body: str) -> ParseState:
    """A small notice around `body`, read to the end."""
    return state_after(HEAD + body.strip("\n") + "\n" + TAIL, RULES[-1])
