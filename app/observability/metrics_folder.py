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
        os.environ[MULTIPROC_ENV] = tempfile.mkdtemp(prefix="roviec-metrics-")


def remove_multiprocess_dir() -> None:
    folder = os.environ.get(MULTIPROC_ENV, "")
    if Path(folder).name.startswith("roviec-metrics-"):  # only the one made above, never an operator's folder
        shutil.rmtree(folder, ignore_errors=True)
