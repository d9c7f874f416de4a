"""The bundled marker sets, validated once and kept, so start-up does not validate them again.

Validating a set's YAML with pydantic costs more than everything else `scr-audit check`
does for one review file, and the bundled sets change only when scr-audit does. So the
first run stores each validated bundled set as JSON in the user's cache folder, keyed by
scr-audit's version and a hash of every file the set is made of (and of the code that
defines its models); later runs rebuild the very same objects from it.

A cache is data, and is read as data: `json`, whose objects are turned only into the
model classes `markers.MODELS` names (never pickle, nothing the file could choose). A
cache that is missing, unreadable, unwritable, from another version or damaged is simply
not used: the set is loaded from its YAML as if there were no cache, and the cache is
written again where it can be. It never changes a result: the objects are equal either way.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

if TYPE_CHECKING:
    from scr_audit.markers import MarkerSet

#: Changes whenever the layout of a cache file changes.
CACHE_FORMAT = 1
#: Set to a folder to keep the cache there, or to an empty value to keep none.
ENV = "SCR_AUDIT_CACHE_DIR"
_TYPE = "@"


def cache_dir() -> Optional[Path]:
    """The user's cache folder for scr-audit (None: caching is off)."""
    if ENV in os.environ:
        value = os.environ[ENV].strip()
        return Path(value) if value else None
    home = Path.home()
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or home / "AppData" / "Local")
        return base / "scr-audit" / "Cache"
    if sys.platform == "darwin":
        return home / "Library" / "Caches" / "scr-audit"
    base = Path(os.environ.get("XDG_CACHE_HOME") or home / ".cache")
    return base / "scr-audit"


def _sources() -> list[Path]:
    """The code that decides what a loaded set holds: a change to it makes a new key."""
    here = Path(__file__).resolve().parent
    return [here / "markers.py", here / "marker_cache.py", here / "stages.py"]


def _hasher() -> Any:
    try:  # CPython's own BLAKE2, which does not load OpenSSL as hashlib does (start-up time)
        from _blake2 import blake2b
    except ImportError:
        from hashlib import blake2b
    return blake2b


def key(directory: Path) -> Optional[str]:
    """The set's fingerprint: scr-audit's version, its model code and every file of the set."""
    from scr_audit import __version__

    blake2b = _hasher()
    digest = blake2b(f"scr-audit {__version__} cache {CACHE_FORMAT}\n".encode())
    try:
        for path in [*_sources(), *sorted(p for p in directory.iterdir() if p.suffix in (".yaml", ".yml"))]:
            digest.update(path.name.encode() + b"\0" + blake2b(path.read_bytes()).digest())
    except OSError:
        return None
    return digest.hexdigest()


def _file(directory: Path, set_id: str) -> Optional[Path]:
    folder = cache_dir()
    return None if folder is None else folder / f"marker-set-{set_id}.json"


def load(directory: Path, set_id: str) -> Optional["MarkerSet"]:
    """The cached set for `directory`, or None when there is no usable cache for it."""
    path = _file(directory, set_id)
    fingerprint = key(directory)
    if path is None or fingerprint is None:
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    return decode(text, fingerprint, directory)


def decode(text: str, fingerprint: str, directory: Path) -> Optional["MarkerSet"]:
    """A set from the cache's JSON, or None if it is not exactly what `store` wrote for this key."""
    from scr_audit.markers import MODELS, Marker, MarkerSet, SetHeader

    def build(obj: dict[str, Any]) -> Any:
        name = obj.pop(_TYPE, None)
        if name is None:
            return obj
        return MODELS[name](**obj)  # KeyError for any name that is not one of the models

    try:
        data = json.loads(text, object_hook=build)
        if not isinstance(data, dict) or data.get("format") != CACHE_FORMAT or data.get("key") != fingerprint:
            return None
        header, markers = data["header"], data["markers"]
        if not isinstance(header, SetHeader) or not isinstance(markers, list) or not all(isinstance(m, Marker) for m in markers):
            return None
        return MarkerSet(header, markers, directory)
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
        return None


def encode(mset: "MarkerSet", fingerprint: str) -> str:
    def plain(value: Any) -> Any:
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            out = {_TYPE: type(value).__name__}
            out.update({f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)})
            return out
        if isinstance(value, list):
            return [plain(v) for v in value]
        return value

    doc = {"format": CACHE_FORMAT, "key": fingerprint, "header": plain(mset.header), "markers": plain(mset.markers)}
    return json.dumps(doc, ensure_ascii=False, allow_nan=False)


def store(directory: Path, mset: "MarkerSet") -> bool:
    """Keep a freshly validated set for next time; False (and nothing else) if it cannot be kept."""
    path = _file(directory, mset.id)
    fingerprint = key(directory)
    if path is None or fingerprint is None:
        return False
    try:
        text = encode(mset, fingerprint)
        import tempfile

        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    except (OSError, ValueError, TypeError):
        return False
    return True
