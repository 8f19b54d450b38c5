"""The segments rule: every piece of the notice gets a fate -- task (with its drafts), not_task (and why) or
unread -- and a numbered item of the assignment part that names an agency and an action is never dropped silently."""

from app.imports.rules import segments
from app.text import fold
from tests.imports.rule_state import read


def fates(state) -> list[tuple[str, str | None, str]]:
    return [(g.fate, g.reason, g.text[:30]) for g in state.segments]


def test_each_piece_in_order_with_its_fate():
    state = read("""I. TÌNH HÌNH THỰC HIỆN
Năm qua, Sở Nội vụ đã hoàn thành sắp xếp bộ máy.
II. NHIỆM VỤ THỜI GIAN TỚI
1. Giao Sở Tài chính chủ trì lập dự toán kinh phí hạ tầng số, trình trước ngày 30/4/2025.
2. Sở Y tế triển khai bệnh án điện tử tại các bệnh viện tuyến tỉnh trong quý III/2025.
""")
    got = [(g.fate, g.reason) for g in state.segments]
    assert got[:2] == [("not_task", "heading"), ("not_task", "review")]
    assert got[2] == ("not_task", "heading")
    assert [g.fate for g in state.segments[3:5]] == ["task", "task"]
    assert state.segments[3].drafts == [1] and state.segments[4].drafts == [2]
    # The closing, then the recipients: each said for what it is.
    assert got[5:] == [("not_task", "closing"), ("not_task", "recipients")]
    starts = [g.start for g in state.segments]
    assert starts == sorted(starts)
    assert all(state.text[g.start:g.end] == g.text for g in state.segments)


def test_a_numbered_item_no_rule_reads_is_unread_with_its_agencies():
    # The lead is narrowed by "bị ngập sâu", which the clause rules do not take for a subject: no draft, but it must
    # not vanish.
    state = read("""1. Giao Sở Xây dựng kiểm tra an toàn các công trình công cộng trước ngày 15/10/2025.
2. Ủy ban nhân dân các tỉnh bị ngập sâu rà soát số hộ mất nhà ở, báo cáo Bộ Xây dựng trong tháng 10/2025.
""")
    item = next(g for g in state.segments if g.text.startswith("2."))
    assert all(not d.source.text.startswith("2.") for d in state.drafts)
    assert item.fate == "unread" and item.reason is None and item.drafts == []
    assert [a.name for a in item.agencies] == ["Bộ Xây dựng"]  # offered as lead of a draft made from it


def test_praise_past_and_principles_are_not_tasks_and_say_why():
    state = read("""Chủ tịch biểu dương Sở Thông tin và Truyền thông đã chủ động triển khai nền tảng số.
Thời gian qua, các sở, ngành đã cung cấp dữ liệu đầy đủ cho kho dữ liệu dùng chung.
Chuyển đổi số phải lấy người dân làm trung tâm.
Giao Sở Tài chính bố trí kinh phí vận hành nền tảng trong năm 2025.
""")
    reasons = [(g.fate, g.reason) for g in state.segments][:4]
    assert reasons == [("not_task", "praise"), ("not_task", "past"), ("not_task", "no_action"), ("task", None)]


def test_the_standard_responsibility_sentence_and_an_appendix_pointer_are_not_tasks():
    state = read("""1. Giao các sở, ngành thực hiện các nhiệm vụ tại Phụ lục kèm theo.
2. Thủ trưởng các sở, ngành chịu trách nhiệm thi hành Thông báo này.
""" + """
Ủy ban nhân dân tỉnh thông báo để các cơ quan biết, thực hiện./.
Nơi nhận:
- Lưu: VT.
PHỤ LỤC
(Kèm theo Thông báo số 77/TB-UBND)
STT | Nội dung nhiệm vụ | Cơ quan chủ trì | Thời hạn
1 | Số hóa hồ sơ đất đai | Sở Tài nguyên và Môi trường | Quý IV/2025
""")
    by_start = {g.text[:2]: (g.fate, g.reason) for g in state.segments}
    assert by_start["2."] == ("not_task", "responsibility")
    rows = [g for g in state.segments if "Số hóa hồ sơ" in g.text]
    assert rows and rows[0].fate == "task"
    assert any(g.reason == "heading" and "Kèm theo" in g.text for g in state.segments)


def test_a_task_verb_list_covers_the_common_verbs():
    for verb in ("rà soát", "xây dựng", "khắc phục", "báo cáo", "bố trí"):
        assert segments.ACTION.search(fold(verb)), verb


def test_an_assignee_without_a_name_is_left_unread_rather_than_drafted_to_nobody():
    # A People's Committee or a department with no name after it, or an official named only by title: no rule can
    # tell which body is meant, so the piece is put before the officer as unread instead of a draft with a wrong lead.
    state = read("""1. Ủy ban nhân dân huyện chủ trì rà soát hồ sơ đất đai tồn đọng, hoàn thành trong tháng 5/2026.
2. Giám đốc chỉ đạo kiểm tra an toàn thực phẩm bếp ăn tập thể trong tháng 6/2026.
3. Sở chủ trì thẩm định phương án giá nước sạch nông thôn trước ngày 30/9/2026.
4. Sở Công Thương chủ trì kiểm tra thị trường xăng dầu trong quý III/2026.
""")
    assert [d.unknown_lead for d in state.drafts] == ["Sở Công Thương"]
    assert [g.fate for g in state.segments if g.text[:2] in ("1.", "2.", "3.")] == ["unread"] * 3


def test_a_sentence_that_hands_out_the_appendix_is_no_task_of_its_own():
    # Our own wording: the rows of the appendix are the tasks; the sentence that points to them is not one more.
    state = read("1. Giao các sở, ban, ngành và Ủy ban nhân dân các huyện triển khai các nhiệm vụ nêu tại Phụ lục kèm "
                 "theo Thông báo này.\n" + """
Ủy ban nhân dân tỉnh thông báo để các cơ quan biết, thực hiện./.
Nơi nhận:
- Lưu: VT.
PHỤ LỤC
(Kèm theo Thông báo số 77/TB-UBND)
STT | Nội dung nhiệm vụ | Cơ quan chủ trì | Thời hạn
1 | Số hóa hồ sơ đất đai | Sở Tài nguyên và Môi trường | Quý IV/2025
""")
    titles = [d.title for d in state.drafts]
    assert "Số hóa hồ sơ đất đai" in titles and not any("Phụ lục" in t for t in titles)
    wrapper = next(g for g in state.segments if "Giao các sở" in g.text)
    assert (wrapper.fate, wrapper.reason) == ("not_task", "appendix")


def test_an_item_whose_lead_is_on_its_own_line_below_is_never_dropped():
    # A plan's layout: the item states the work, the lines below it name the lead and the time. Even under a heading
    # that reads like a review ("kết quả") and with a "đã" in its wording, such an item assigns work.
    state = read("""III. NHIỆM VỤ CỤ THỂ
1. Giao Sở Tài chính chủ trì lập dự toán kinh phí số hóa, trình trước ngày 30/4/2025.
2. Lưu trữ hồ sơ, kết quả xử lý đơn thư
a) Chỉnh lý toàn bộ hồ sơ đơn thư đã giải quyết xong từ năm 2020 đến năm 2025.
- Cơ quan chủ trì: Thanh tra tỉnh.
- Thời gian thực hiện: Quý III/2025.
b) Ban Dân tộc tỉnh chủ trì, phối hợp với các huyện thống kê hộ nghèo thuộc vùng đồng bào dân tộc thiểu số.
Thời gian thực hiện: Năm 2025.
""")
    for opening in ("a) Chỉnh lý", "b) Ban Dân tộc"):
        item = next(g for g in state.segments if g.text.startswith(opening))
        assert item.fate == "task", (opening, item.fate, item.reason)
    assert [d.unknown_lead for d in state.drafts[1:]] == ["Thanh tra tỉnh", "Ban Dân tộc tỉnh"]


def test_a_table_row_whose_first_cell_runs_over_two_lines_is_judged_whole():
    # "5<TAB>work" on one line, the rest of the work and the other cells on the next: the row is one piece, so the
    # work on its first line is inside it whatever its fate.
    state = read("""1. Giao Bộ Tài chính chủ trì lập dự toán kinh phí hạ tầng số, trình trước ngày 30/4/2025.
2. Các bộ thực hiện các nhiệm vụ tại Phụ lục kèm theo Nghị quyết này.
PHỤ LỤC
STT\tNhiệm vụ\tThời hạn\tCơ quan chủ trì
5\tMở rộng mạng cáp quang tới các thôn vùng cao.
Trước hết tại các xã biên giới\tNăm 2025\tBộ Khoa học và Công nghệ
""")
    row = next(g for g in state.segments if g.text.startswith("5\t"))
    assert "xã biên giới" in row.text and "Bộ Khoa học và Công nghệ" in row.text
    assert row.fate == "task"


def test_a_work_based_on_the_appendix_is_no_pointer_to_it():
    state = read("""1. Các sở căn cứ nhiệm vụ tại Phụ lục xây dựng kế hoạch chi tiết, gửi Sở Nội vụ trước 30/4/2025.
Nơi nhận:
- Lưu: VT.
Phụ lục
STT | Nội dung công việc | Cơ quan chủ trì | Thời hạn
1 | Số hóa hồ sơ đất đai | Sở Tài nguyên và Môi trường | Quý IV/2025
""")
    piece = next(g for g in state.segments if g.text.startswith("1. Các sở"))
    assert piece.fate == "task"
    assert state.drafts[0].collective_lead and "xây dựng kế hoạch chi tiết" in state.drafts[0].title
