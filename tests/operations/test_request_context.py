"""The request's context alone: which journal rows a request names, and how, whatever the number."""

from app.observability import context


def test_journal_rows_are_named_by_id_then_by_count():
    tokens = context.begin("req-1")
    try:
        assert context.journal_headers() == {}
        for row in range(1, context.MOST_JOURNAL_IDS + 1):
            context.journal_written(row)
        assert context.journal_headers() == {"X-Journal-Id": ",".join(map(str, range(1, 51)))}
        context.journal_written(51)
        assert context.journal_headers() == {"X-Journal-Count": "51"}
    finally:
        context.end(tokens)
    assert context.request_id() is None and context.journal_headers() == {}


def test_a_request_id_is_kept_only_when_plain_and_short():
    assert context.accept_request_id("ministry-sync.7f3a:2/b+c=") == "ministry-sync.7f3a:2/b+c="
    for odd in ("", "a b", "x" * 101, "tiến-độ", "a\tb", None):
        made = context.accept_request_id(odd)
        assert made != odd and len(made) == 32
