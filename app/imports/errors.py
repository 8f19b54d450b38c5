"""The one error an import raises for input it cannot use: a code, and the reason in English and in Vietnamese
(worded in app/messages.py)."""

from app import messages


class ImportInputError(ValueError):
    """Bad input to the importer. `code` is stable (for the API and tests); `reason` is the key of its wording in
    messages.REFUSALS; `http_status` is the answer it deserves: 413 for an upload over the size limit, 422 for
    everything else."""

    def __init__(self, code: str, reason: str, *, http_status: int = 422, **values) -> None:
        self.message_en, self.message_vi = messages.refusal(reason, **values)
        super().__init__(f"{code}: {self.message_en}")
        self.code = code
        self.reason = reason
        self.http_status = http_status
        self.values = values

    def to_dict(self) -> dict:
        return {"code": self.code, "message": self.message_en, "message_vi": self.message_vi}

    def state(self) -> dict:
        """What makes the error again in another process (app/imports/sandbox.py sends it as JSON)."""
        return {"code": self.code, "reason": self.reason, "http_status": self.http_status, "values": self.values}

    @classmethod
    def from_state(cls, state: dict) -> "ImportInputError":
        return cls(state["code"], state["reason"], http_status=state["http_status"], **state["values"])
