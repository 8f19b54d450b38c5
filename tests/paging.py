"""The API's paged lists (`{"items", "next_cursor"}`, as GET /tasks pages), read to the end."""


def pages(client, path: str, limit: int, **params) -> list[dict]:
    """Every page of a paged list of `limit` items, each sent the cursor of the page before."""
    found: list[dict] = []
    cursor = None
    while True:
        response = client.get(path, params=params | {"limit": limit} | ({"cursor": cursor} if cursor else {}))
        assert response.status_code == 200, response.text
        found.append(response.json())
        assert len(found[-1]["items"]) <= limit
        cursor = found[-1]["next_cursor"]
        if cursor is None:
            return found


def every_item(client, path: str, **params) -> list[dict]:
    """Every item of a paged list (in the largest pages the API gives)."""
    return [item for page in pages(client, path, 200, **params) for item in page["items"]]


def walked_in_small_pages(client, path: str, limit: int) -> list[dict]:
    """A list read `limit` items at a time: the same items in the same order as read whole, none twice, every page
    but the last full, and a cursor not of ours refused at its field."""
    small = pages(client, path, limit)
    items = [item for page in small for item in page["items"]]
    assert items == every_item(client, path)
    assert len({item["id"] for item in items}) == len(items)
    assert all(len(page["items"]) == limit for page in small[:-1])
    for wrong in ({"cursor": "not-a-cursor"}, {"limit": 0}, {"limit": 201}):
        refused = client.get(path, params=wrong)
        assert refused.status_code == 422, refused.text
        assert refused.json()["detail"][0]["loc"] == ["query", next(iter(wrong))]
    return items
