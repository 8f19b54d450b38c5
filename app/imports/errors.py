"""The one error an import raises for input it cannot use: a code, and the reason in English and in Vietnamese."""


class ImportInputError(ValueError):
    """Bad input to the importer. `code` is stable (for the API and tests); `http_status` is the answer it deserves:
    413 for an upload over the size limit, 422 for everything else."""

    def __init__(self, code: str, message_en: str, message_vi: str, *, http_status: int = 422) -> None:
        super().__init__(f"{code}: {message_en}")
        self.code = code
        self.message_en = message_en
        self.message_vi = message_vi
        self.http_status = http_status

    def to_dict(self) -> dict:
        return {"code": self.code, "message": self.message_en, "message_vi": self.message_vi}
