"""The sections rule: where the body ends (the closing "... biết, thực hiện./.", "Nơi nhận:", the signature) and the
appendix begins; the body as an outline of labelled paragraphs; and the walk over it that skips sections reviewing
results, carries a heading's lead ("Bộ Y tế:") to the items under it, and hands each paragraph to the clauses rule
(a table row to the tables rule)."""

import re

from app.imports.deadlines import choose, find_deadlines
from app.imports.gazetteer import UNKNOWN
from app.imports.rules import clauses, fields, tables
from app.imports.rules import deadlines as deadline_rule
from app.imports.rules.blocks import NOI_NHAN, TERMINAL, is_row, label_at, shouted
from app.imports.rules.drafts import drafts_for
from app.imports.state import Assignment, Context, Draft, Node, Para, ParseState, Source

CLOSING = re.compile(r"(?:\bthong bao (?:de|den)\b.{0,250}\bbiet\b"
                     # A letter's: "… trân trọng đề nghị Quý cơ quan quan tâm, phối hợp thực hiện./."
                     r"|\btran trong de nghi quy\b[^.;]{0,80}(?:quan tam|phoi hop|thuc hien)[^.;]{0,30}\.?/?\.?\s*$"
                      r"|\bbiet\s*,?\s*(?:va\s+)?(?:thuc hien|phoi hop|chi dao|trien khai)\s*\.?/?\.?\s*$)")
SIGNATURE = re.compile(r"\s*(?:kt|tl|tm|tuq|q)\s*\.\s*(?:bo truong|thu tuong|chu nhiem|chu tich|pho|giam doc)")
_APPENDIX = re.compile(r"\s*phu luc\b")
_ISSUED_WITH = re.compile(r"\s*\(?\s*(?:ban hanh\s+)?kem theo\s+(?:quyet dinh|nghi quyet|chi thi|thong bao|cong van)\b")
_REVIEW_HEAD = re.compile(r"\b(?:ket qua|danh gia|tinh hinh|boi canh|ton tai|han che|kho khan|vuong mac|nguyen nhan"
                          r"|bai hoc|nhan xet|ghi nhan|qua trinh|khai quat|thuc trang|uu diem"
                          # minutes: who attended, what was said ("THÀNH PHẦN THAM DỰ", "Ý kiến của các cơ quan")
                          r"|thanh phan(?: tham du| du hop| cuoc hop)?|(?:noi dung|dien bien) cuoc hop"
                          r"|y kien (?:cua cac|cac|phat bieu|thao luan|tham gia|bao luu))\b")
_GOAL_HEAD = re.compile(r"\s*(?:(?:quan diem|muc tieu|muc dich)(?: chung| cu the| tong quat)?|yeu cau chung)"
                        r"(?:(?:,| va)?\s*(?:quan diem|muc tieu|muc dich|yeu cau)(?: chung| cu the| tong quat)?){0,2}"
                        r"\s*[:.]?\s*")
_ASSIGN_HEAD = re.compile(r"\b(?:nhiem vu|giai phap|giao|de nghi|kien nghi|chi dao|phuong huong|thoi gian toi"
                          r"|to chuc thuc hien|yeu cau|de xuat|trong tam|can tap trung|trien khai)\b")


def bound(state: ParseState) -> None:
    """Rule: state.body_end (the closing, "Nơi nhận:" or the signature) and state.appendix ("Phụ lục" after it)."""
    paras, s = state.paras, state.s
    state.body_end = len(paras)
    for i in range(state.body, len(paras)):
        ptext = s[paras[i].start:paras[i].end]
        if _ends_body(ptext):
            state.body_end = i
            break
    for i in range(state.body_end, len(paras)):
        if _APPENDIX.match(s, paras[i].start):
            state.appendix = i
            break
    _attached(state)


def _attached(state: ParseState) -> None:
    """A decision's signature is followed by the document it issues ("KẾ HOẠCH … (Ban hành kèm theo Quyết định số
    …)"), whose sections assign the work: that document is a body too, from the line after its "kèm theo" to its own
    closing, "Nơi nhận:" or signature (or the appendix)."""
    paras, s = state.paras, state.s
    last = state.appendix if state.appendix is not None else len(paras)
    for i in range(state.body_end + 1, last):
        if _ISSUED_WITH.match(s, paras[i].start) and any(
                state.original(q.start, q.end).isupper() for q in paras[max(state.body_end, i - 3):i]):
            end = next((j for j in range(i + 1, last) if _ends_body(s[paras[j].start:paras[j].end])), last)
            if end > i + 1:
                state.attached = (i + 1, end)
            return


def _ends_body(text: str) -> bool:
    return bool(NOI_NHAN.match(text) or SIGNATURE.match(text) or (CLOSING.search(text) and len(text) < 500))


def read_body(state: ParseState) -> None:
    """Rule: the drafts of the body, and of the document a decision issues after its signature."""
    walk(state, outline(state, state.paras[state.body:state.body_end]), Context())
    if state.attached is not None:
        walk(state, outline(state, state.paras[slice(*state.attached)]), Context())


def read_appendix(state: ParseState) -> None:
    """Rule: the drafts of the appendix, their clauses numbered "PL.…"."""
    if state.appendix is None:
        return
    tail = []
    for p in state.paras[state.appendix + 1:]:
        if NOI_NHAN.match(state.s, p.start):
            break
        tail.append(p)
    walk(state, outline(state, tail), Context(), ref_prefix="PL")


def outline(state: ParseState, paras: list[Para]) -> Node:
    """The paragraphs as a tree: a labelled paragraph opens a level that lasts until a label of its kind comes back;
    an unlabelled one belongs to the open level."""
    root = Node("root", None, None, 0)
    stack: list[Node] = []
    for k, p in enumerate(paras):
        kind, label, body = label_at(state, p.start)
        if is_row(state.s[p.start:p.end]):
            kind, label, body = "table", None, p.start
        if kind is None and stack and k + 1 < len(paras) and _heads_items(state, p, paras[k + 1], stack):
            # "UBND TP. Đà Nẵng" between two lists of "-" items heads the items after it, not the item before.
            del stack[next(i for i, n in enumerate(stack) if n.kind == label_at(state, paras[k + 1].start)[0]):]
        if kind is None or kind == "table":
            # A table stands on its own, not inside the list item written above it.
            parent = root if kind == "table" or not stack else stack[-1]
            node = Node(kind or "para", None, p, body, parent)
            if kind is None and _work_under_heading(state, parent, node):
                # "2. Rà soát văn bản …" (a heading) / "Rà soát các văn bản …" / "Cơ quan chủ trì: …": the lines
                # belong to the work written under the heading.
                parent = node.parent = parent.children[-1]
            parent.children.append(node)
            continue
        for i in range(len(stack) - 1, -1, -1):
            if stack[i].kind == kind:
                del stack[i:]
                break
        parent = stack[-1] if stack else root
        node = Node(kind, label, p, body, parent)
        parent.children.append(node)
        stack.append(node)
    return root


def _work_under_heading(state: ParseState, parent: Node, node: Node) -> bool:
    """Whether `node` is a field line of the unlabelled work paragraph before it, under a heading of its own."""
    if parent.para is None or not parent.children or fields.field_of(state, node) is None:
        return False
    work = parent.children[-1]
    return work.kind == "para" and fields.field_of(state, work) is None \
        and _is_heading_text(state.s[parent.body:parent.para.end])


def _heads_items(state: ParseState, p: Para, nxt: Para, stack: list[Node]) -> bool:
    """Whether an unlabelled paragraph is a short heading (an addressee, no full stop) over items of a kind already
    open above it."""
    text = state.s[p.start:p.end].strip()
    nxt_kind = label_at(state, nxt.start)[0]
    return (nxt_kind is not None and any(n.kind == nxt_kind for n in stack) and len(text.split()) <= 12
            and not TERMINAL.search(text.rstrip(":")) and state.upper_at(p.start)
            and state.scan.read_list(p.start)[0] != [])


def walk(state: ParseState, node: Node, ctx: Context, ref_prefix: str | None = None) -> None:
    local = ctx
    table_header: list[str] | None = None
    counters: dict[str, int] = {}
    for k, child in enumerate(node.children):
        child.ref = _ref(node, child, counters, ref_prefix)
        if child.kind == "table":
            table_header = tables.table_row(state, child, table_header)
            continue
        after = node.children[k + 1] if k + 1 < len(node.children) else None
        new_local = visit(state, child, local, items_follow=after is not None and after.kind not in ("para", "table"))
        if new_local is not None:
            local = new_local


def _ref(node: Node, child: Node, counters: dict[str, int], ref_prefix: str | None) -> str | None:
    """The clause reference a draft cites: "II.2.a", "1.2.3" as written, "-3" for the third dash item."""
    if child.kind.startswith("bullet"):
        counters[child.kind] = counters.get(child.kind, 0) + 1
        own = child.kind[-1] + str(counters[child.kind])
    else:
        own = child.label
    parent_ref = node.ref or ref_prefix
    if own is None:
        return parent_ref
    if child.kind.startswith("multi") and parent_ref and own.startswith(parent_ref.rsplit(".", 1)[-1] + "."):
        return (parent_ref.rsplit(".", 1)[0] + "." + own) if "." in parent_ref else own
    return f"{parent_ref}.{own}" if parent_ref else own


def visit(state: ParseState, node: Node, ctx: Context, *, items_follow: bool = False) -> Context | None:
    """Drafts from one paragraph, then its children. Returns a context for the following siblings when the
    paragraph is an unlabeled heading ("Tỉnh Nghệ An cần tập trung thực hiện các nhiệm vụ sau:", or only the
    addressee, "UBND TP. Hồ Chí Minh", over the items below it: `items_follow`)."""
    p = node.para
    a, b = node.body, p.end
    child_ctx = _heading_context(state, node, ctx)
    sibling_ctx = child_ctx if child_ctx is not ctx and node.kind == "para" else None
    if ctx.review or child_ctx.review:
        state.review_paras.add(p.start)
    if node.kind == "para" and deadline_rule.completes_last(state, a, b):
        state.completing[p.start] = list(state.last)
        return None
    lines = fields.lines_under(state, node) if node.kind != "para" or node.children else None
    if lines is not None:
        # The field lines ("- Cơ quan chủ trì: ...") belong to the item's assignment; they are no items of their own.
        node.children = [c for c in node.children if c not in lines.nodes]
        assignments = fields.assignments(state, node, ctx, lines)
    else:
        assignments = clauses.assignments(state, a, b, ctx,
                                          has_children=bool(node.children) or (node.kind == "para" and items_follow))
    if shouted(state.original(a, b)):
        # A heading in capitals ("DANH MỤC NHIỆM VỤ GIAO CÁC BỘ, CƠ QUAN") is no task; at most it heads a list.
        assignments = [asg for asg in assignments if asg.heading]
    made: list[Draft] = []
    for asg in assignments:
        if not asg.heading:
            made += drafts_for(state, asg, node, start=p.start if asg.start <= a + 1 or asg.context else None)
            continue
        state.headings.add(p.start)
        heading_ctx = _lead_heading(state, asg, node, ctx, child_ctx, made)
        if heading_ctx is None:
            continue
        if node.kind == "para":
            sibling_ctx = heading_ctx
        else:
            child_ctx = heading_ctx
    if made:
        state.last = made
    if any(asg.enumerates for asg in assignments) and node.children:
        # The items under "…, gồm:" name what the work is done on: they belong to its drafts.
        end = state.orig_end(_last_descendant(node).para.end)
        for draft in made:
            draft.source = Source(draft.source.start, end, state.text[draft.source.start:end])
        return sibling_ctx
    walk(state, node, child_ctx)
    return sibling_ctx


def _last_descendant(node: Node) -> Node:
    while node.children:
        node = node.children[-1]
    return node


def _heading_context(state: ParseState, node: Node, ctx: Context) -> Context:
    """A short heading ("II. KẾT QUẢ ĐẠT ĐƯỢC", "Nhiệm vụ thời gian tới:") says whether what is under it reviews
    results or assigns tasks; any other paragraph leaves the context as it is."""
    a, b = node.body, node.para.end
    text = state.s[a:b]
    loud = shouted(state.original(a, b))
    # In capitals every word looks like an acronym ("QUAN ĐIỂM"): only a known agency names an addressee there.
    named = [i for i in state.scan.read_list(a)[0] if not (loud and i.kind == UNKNOWN)]
    if not (_is_heading_text(text) and not clauses.opens_with_trigger(text) and not named
            and (len(text.split()) <= 15 or loud)):
        return ctx
    review = _review_heading(text)
    if review and text.rstrip().endswith(":") and node.parent is not None and node.parent.kind != "root" \
            and not shouted(state.original(a, b)):
        review = None  # "3. Đánh giá kết quả thực hiện:" inside a section of tasks heads tasks
    if review is None:
        return ctx
    return Context(review=review, lead=ctx.lead, coords=ctx.coords, deadline=ctx.deadline)


def _lead_heading(state: ParseState, asg: Assignment, node: Node, ctx: Context, child_ctx: Context,
                  made: list[Draft]) -> Context | None:
    """"Giao Bộ Xây dựng (thời hạn: quý I/2023): a) ...; b) ...": the items written after the colon become drafts
    (added to `made`) and None is returned; without such items, the context it gives what comes under it."""
    s, p = state.s, node.para
    inline = clauses.inline_items(state, asg.work_start, asg.extent_end)
    # The heading's own deadline ("Giao Bộ Xây dựng (thời hạn: quý I/2023):"), not its first item's.
    head_end = s.rfind(":", asg.start, inline[0][0]) + 1 if inline else asg.extent_end
    heading_ctx = Context(review=child_ctx.review, lead=asg.items, coords=asg.coords or ctx.coords,
                          deadline=choose(find_deadlines(state.folded, asg.start, head_end, state.info.issued_on))
                          or ctx.deadline)
    if not inline:
        return heading_ctx
    for k, (ia, ib, label) in enumerate(inline):
        sub = Node("inline", label, Para(ia, ib, False), ia, node, ref=f"{node.ref}.{label}" if node.ref else label)
        for sub_asg in clauses.assignments(state, sub.body, ib, heading_ctx, has_children=False):
            made += drafts_for(state, sub_asg, sub, start=ia if k else p.start)
    return None


def _is_heading_text(text: str) -> bool:
    stripped = text.strip()
    return len(stripped) < 160 and (stripped.endswith(":") or not TERMINAL.search(stripped))


def _review_heading(text: str) -> bool | None:
    if _GOAL_HEAD.fullmatch(text):
        return True  # "2. Mục tiêu", "I. MỤC ĐÍCH, YÊU CẦU": what is aimed at, the tasks come under their own heading
    review = _REVIEW_HEAD.search(text)
    if review and len(text[:review.start()].split()) > 2:
        # A review heading opens on its word ("Kết quả đạt được", "Một số kết quả", "Đánh giá chung"); further in,
        # the word is the object of a work ("Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính").
        review = None
    assign = _ASSIGN_HEAD.search(text)
    if review and (not assign or review.start() < assign.start()):
        return True
    if assign:
        return False
    return None

