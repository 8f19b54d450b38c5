"""A directive's title and meeting say what they are: "X" is refused, as a vague "rõ" is."""

import uuid


def test_a_title_of_one_letter_is_refused(clients):
    body = {"number": f"{uuid.uuid4().hex[:6]}/TB-VPCP", "title": "X", "issued_on": "2024-11-20",
            "meeting_name": "Họp", "meeting_date": "2024-11-18", "issuer": "Văn phòng Chính phủ"}
    refused = clients.secretariat.post("/directives", json=body)
    assert refused.status_code == 422
    fields = {p["field"]: p["msg_vi"] for p in refused.json()["detail"]}
    assert set(fields) == {"title", "meeting_name"}
    assert "chưa rõ" in fields["title"] and "chưa rõ" in fields["meeting_name"]
    body |= {"title": "Thông báo"}  # under ten characters
    assert "10 ký tự" in clients.secretariat.post("/directives", json=body).json()["detail"][0]["msg_vi"]
    body |= {"title": "Thông báo kết luận của Thủ tướng", "meeting_name": "Phiên họp thứ 5"}
    assert clients.secretariat.post("/directives", json=body).status_code == 201
