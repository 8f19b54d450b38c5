"""Same input, same bytes: the ZIP containers (XLSX, DOCX) stamp each member with the time it was written, and the
libraries write the clock into the document's properties. Both are set from the data here."""

import re
import shutil
import zipfile
from datetime import datetime
from pathlib import Path

_CORE = "docProps/core.xml"
_STAMPS = re.compile(r"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:(?:created|modified)>)")


def zip_info(name: str, when: datetime) -> zipfile.ZipInfo:
    """A member stamped with `when`, the same on every system (no host-dependent attributes)."""
    info = zipfile.ZipInfo(name, date_time=when.timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3
    info.external_attr = 0o644 << 16
    return info


def core_properties(xml: bytes, when: datetime) -> bytes:
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    return _STAMPS.sub(lambda m: f"{m.group(1)}{stamp}{m.group(2)}", xml.decode()).encode()


def fix_zip(path: Path, when: datetime) -> None:
    """Rewrites the ZIP at `path` member by member (never all in memory): every member stamped with `when`, the
    creation and modification times of docProps/core.xml set to it."""
    path = Path(path)
    temporary = path.with_name(path.name + ".tmp")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(temporary, "w") as target:
        for item in source.infolist():
            info = zip_info(item.filename, when)
            if item.filename == _CORE:
                target.writestr(info, core_properties(source.read(item), when))
                continue
            with source.open(item) as data, target.open(info, "w") as out:
                shutil.copyfileobj(data, out, 1 << 20)
    temporary.replace(path)
