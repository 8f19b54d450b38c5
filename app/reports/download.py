"""The completion list as a file to download: one answer for the API's GET /reports/completion and the report
page's download (outside the router, so that a page never imports an API router)."""

import shutil
import tempfile
from datetime import date
from pathlib import Path

from fastapi.responses import FileResponse, StreamingResponse
from starlette.background import BackgroundTask

from app import unit_of_work
from app.access.principal import Principal
from app.reports import export, service


async def completion_download(scope: service.Scope, as_of: date, format: str, overrides: dict,  # noqa: A002
                              principal: Principal):
    """The file as a download, for the API and the report page alike: CSV streamed, the others written to a
    temporary folder on the heavy pool and removed once sent."""
    name = export.list_filename(scope, as_of, format)
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    media_type = export.FORMATS[format].media_type
    if export.FORMATS[format].streamed:
        return StreamingResponse(export.stream_csv(scope, as_of, fmt=format), media_type=media_type,
                                 headers=headers)
    folder = Path(tempfile.mkdtemp(prefix="roviec-export-"))
    try:
        await unit_of_work.heavy_call(export.write, scope, as_of, format, folder / name, principal, None, overrides)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    response = FileResponse(folder / name, media_type=media_type, headers=headers,
                            stat_result=(folder / name).stat(),
                            background=BackgroundTask(shutil.rmtree, folder, ignore_errors=True))
    # A file written for this answer alone: its time and size name no version a client could ask for again.
    del response.headers["etag"], response.headers["last-modified"]
    return response
