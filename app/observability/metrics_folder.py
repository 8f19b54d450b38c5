"""The folder of prometheus-client's multi-process files, made before prometheus-client is first imported (it reads
the variable at import): apart from app/observability/metrics.py, which imports it."""

import os
import shutil
import tempfile
from pathlib import Path

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"


def prepare_multiprocess_dir() -> None:
    """A folder for this run's metric files, emptied, since files left by an earlier run would be added in."""
    folder = os.environ.get(MULTIPROC_ENV)
    if folder:
        path = Path(folder)
        path.mkdir(parents=True, exist_ok=True)
        for stale in path.glob("*.db"):
            stale.unlink()
    else:
        _sweep_abandoned()
        os.environ[MULTIPROC_ENV] = tempfile.mkdtemp(prefix=f"{_PREFIX}{os.getpid()}-")


_PREFIX = "roviec-metrics-"


def remove_multiprocess_dir() -> None:
    folder = os.environ.get(MULTIPROC_ENV, "")
    if Path(folder).name.startswith(_PREFIX):  # only a folder made above, never an operator's
        shutil.rmtree(folder, ignore_errors=True)


def _sweep_abandoned() -> None:
    """Folders of earlier `roviec serve` processes that did not remove theirs (uvicorn ends a process with the signal
    it was stopped by, after its shutdown, so no `finally` runs): each carries its maker's pid."""
    for folder in Path(tempfile.gettempdir()).glob(f"{_PREFIX}*-*"):
        pid = folder.name.removeprefix(_PREFIX).split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
