"""What the API sends for a task is what TaskPublic says, for every task of the seed (the hot paths answer with
plain dicts and orjson, past FastAPI's response_model, so nothing else would check it)."""

from app.tasks.schemas import TaskPublic


def test_every_seed_task_matches_task_public(clients):
    seen, cursor = 0, None
    while True:
        page = clients.observer.get("/tasks", params={"limit": 200} | ({"cursor": cursor} if cursor else {})).json()
        for item in page["items"]:
            TaskPublic.model_validate(item)
            assert set(item) == set(TaskPublic.model_fields), set(item) ^ set(TaskPublic.model_fields)
            one = clients.observer.get(f"/tasks/{item['id']}").json()
            assert TaskPublic.model_validate(one) == TaskPublic.model_validate(item)
            seen += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen >= 44  # the seed's tasks, and whatever the other tests made
