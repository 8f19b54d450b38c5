MAX_UPLOAD_BYTES = 10 * 1024 * 1024


def extract_text(filename: str, content: bytes, content_type: str | None) -> str:
    raise NotImplementedError
