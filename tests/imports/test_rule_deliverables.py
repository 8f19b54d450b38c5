"""The deliverables rule: what the work produces, and the product a notice writes out."""

from app.imports import deliverables
from app.imports.rules.deliverables import product_names_type
from tests.imports.rule_state import read


def test_the_document_the_work_builds_is_its_product():
    (draft,) = read("Sở Tư pháp xây dựng Nghị quyết về phí thẩm định trong quý III/2025.").drafts
    assert draft.deliverable_type == deliverables.NGHI_QUYET


def test_a_product_written_out_is_the_description():
    (draft,) = read("Sở Nội vụ rà soát thủ tục hành chính nội bộ, sản phẩm: danh mục thủ tục được cắt giảm.").drafts
    assert draft.deliverable_description == "danh mục thủ tục được cắt giảm"


def test_a_product_cell_names_a_kind_by_its_words():
    assert product_names_type("nen tang du lieu dung chung") == deliverables.HE_THONG
    assert product_names_type("bao cao tong hop") == deliverables.BAO_CAO
    assert product_names_type("cuoc hop") is None
