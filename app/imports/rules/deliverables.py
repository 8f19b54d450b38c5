"""The deliverables rule: what a draft's work produces (`app.imports.deliverables.classify` over the work's words, up
to its deadline), the product a notice names outright ("Sản phẩm: ..."), and a table's "Sản phẩm" cell."""

import re

from app.imports import deliverables
from app.imports.deadlines import Deadline
from app.imports.rules.clauses import sentence_end
from app.imports.state import Assignment, Draft, ParseState

_STRUCT_PRODUCT = re.compile(r"\b(?:san pham|hinh thuc van ban)\s*:\s*")
# A product cell that names no document type may still name a kind of product.
_PRODUCT_WORDS = [(re.compile(r"\bhe thong|\bnen tang|\bco so du lieu|\bphan mem|\bung dung"), deliverables.HE_THONG),
                  (re.compile(r"\bbao cao"), deliverables.BAO_CAO),
                  (re.compile(r"\bhuong dan"), deliverables.HUONG_DAN)]


def of_work(state: ParseState, asg: Assignment, chosen: Deadline | None) -> tuple[str, str | None]:
    """(type, description) of the work's own words, up to its deadline when that is written inside the work."""
    title_end = asg.work_end
    product_start, product_end = asg.work_start, title_end
    if chosen and asg.work_start <= chosen.start < title_end:
        if len(state.s[asg.work_start:chosen.start].split()) < 2:
            # "trong 05 ngày làm việc …, có văn bản trả lời …": the time comes first, the product after it.
            product_start = min(title_end, chosen.end)
        else:
            product_end = chosen.start
    return deliverables.classify(state.folded, product_start, max(product_start, product_end), state.inside_mention)


def of_range(state: ParseState, a: int, b: int) -> tuple[str, str | None]:
    return deliverables.classify(state.folded, a, b, state.inside_mention)


def named(state: ParseState, asg: Assignment) -> str | None:
    """"Sản phẩm: Nghị định ..." -- the description the notice writes out, if it does."""
    struct_product = _STRUCT_PRODUCT.search(state.s, asg.work_start, asg.extent_end)
    if not struct_product:
        return None
    end = sentence_end(state, struct_product.end(), asg.extent_end)
    return state.original(struct_product.end(), end).strip(" .;")


def from_cell(state: ParseState, drafts: list[Draft], pa: int, pb: int) -> None:
    """A table's "Sản phẩm" cell: the description of its row's drafts, and their type when it names one."""
    product_type, _ = of_range(state, pa, pb)
    product_text = state.original(pa, pb).strip()
    for d in drafts:
        if product_text:
            d.deliverable_description = _cell_description(d, product_text, product_type)
        if product_type != deliverables.KHAC:
            d.deliverable_type = product_type
        elif product_names_type(state.s[pa:pb]):
            d.deliverable_type = product_names_type(state.s[pa:pb])


def _cell_description(draft: Draft, cell: str, cell_type: str) -> str:
    """A cell that only names a kind ("Thông tư", "Hệ thống thông tin") says what type, not which thing: the
    description is the row's own product when it is of that type ("Thông tư quy định chi tiết về công tác văn thư,
    lưu trữ …"), else the kind and the work ("Nghị định: sửa đổi quy định về phí, lệ phí …")."""
    if len(cell.split()) > 3:
        return cell
    own = draft.deliverable_description
    if own and draft.deliverable_type == cell_type and len(own.split()) > len(cell.split()):
        return own
    title = draft.title or ""
    return f"{cell}: {title[:1].lower() + title[1:]}" if title else cell


def product_names_type(folded_cell: str) -> str | None:
    for pattern, kind in _PRODUCT_WORDS:
        if pattern.search(folded_cell):
            return kind
    return None
