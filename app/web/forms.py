"""What the pages' forms post, read into the values the services take: one reader per form, shared by every page
that shows that form (the seven-"rõ" task form is read the same way under a directive, on a task and in an import's
review)."""


TASK_TEXT_FIELDS = ("title", "objective", "accountable_official", "deliverable_description", "expected_result",
                    "clause_ref")


def ids(form: dict, name: str) -> list[int]:
    """The ids ticked in a multiple choice (agencies, directives): anything else posted is ignored."""
    return [int(value) for value in form["_lists"].get(name, []) if value.isdigit() and len(value) < 10]
