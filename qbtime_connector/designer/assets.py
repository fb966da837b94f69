"""The page's files and catalog as HTTP answers: fingerprinted, cacheable, gzip when accepted.

Static files, the icon, the catalog's index and its entries are named with `?v=` and the hash
of every static file and of the catalog, so a browser keeps them for a year and a new version
of the page or the manifest is fetched under a new name. Without that name (or under an old
one) they are revalidated by ETag. Text answers are gzip-compressed for a browser that says it
accepts gzip, and only then.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import mimetypes
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from werkzeug.wrappers import Request, Response

from .catalog import catalog, entry, index

STATIC_DIR = Path(__file__).resolve().parent / "static"
CHECKOUT_ICON = Path(__file__).resolve().parents[2] / "assets" / "quickbooks-time.png"
KEEP = "public, max-age=31536000, immutable"  # a fingerprinted name never changes content
REVALIDATE = "no-cache"  # keep, but ask (by ETag) before each use
_TEXT = ("text/", "application/javascript", "application/json", "image/svg")


def icon_path() -> Path:
    """The connector's icon: shipped beside the page in a wheel, else the checkout's assets/."""
    shipped = STATIC_DIR / "quickbooks-time.png"
    return shipped if shipped.is_file() else CHECKOUT_ICON


@dataclass(frozen=True)
class Asset:
    """One answer's bytes, type and ETag, and its gzip form when it is text."""

    body: bytes
    mimetype: str
    etag: str
    gzipped: bytes | None

    @classmethod
    def of(cls, body: bytes, mimetype: str) -> Asset:
        """The asset of these bytes (compressed once, here, when text)."""
        text = mimetype.startswith(_TEXT)
        packed = gzip.compress(body, compresslevel=9, mtime=0) if text else None
        return cls(body, mimetype, hashlib.sha256(body).hexdigest()[:20], packed)


def static_files() -> list[Path]:
    """Every file the page loads besides itself: its scripts, its style, the icon."""
    return [*sorted(p for p in STATIC_DIR.iterdir() if p.is_file()), icon_path()]


@cache
def version() -> str:
    """The fingerprint of every static file and the catalog: part of their URLs, so a change
    renames them."""
    digest = hashlib.sha256()
    for path in static_files():
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    digest.update(json.dumps(catalog(), sort_keys=True).encode())
    return digest.hexdigest()[:12]


@cache
def file_asset(path: Path) -> Asset:
    """A static file, read once."""
    mimetype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if mimetype.startswith("text/") or mimetype == "application/javascript":
        mimetype += "; charset=utf-8"
    return Asset.of(path.read_bytes(), mimetype)


def icon_url() -> str:
    """The icon's fingerprinted URL."""
    return f"/icon.png?v={version()}"


def _json_asset(data: Any) -> Asset:
    return Asset.of(json.dumps(data, separators=(",", ":")).encode(), "application/json")


@cache
def catalog_asset() -> Asset:
    """The whole catalog as JSON (the icon under its fingerprinted URL)."""
    return _json_asset({**catalog(), "icon": icon_url()})


@cache
def index_asset() -> Asset:
    """The catalog's index as JSON: what the page loads first."""
    return _json_asset({**index(), "icon": icon_url()})


def entry_asset(kind: str, key: str) -> Asset | None:
    """One action's or trigger's whole entry as JSON, or None when the catalog has none."""
    return None if entry(kind, key) is None else _entry_asset(kind, key)


@cache  # for the catalog's entries only: a request naming anything else keeps nothing
def _entry_asset(kind: str, key: str) -> Asset:
    return _json_asset(entry(kind, key))


def _takes_gzip(request: Request) -> bool:
    return request.accept_encodings.quality("gzip") > 0


def answer(request: Request, asset: Asset, cache_control: str) -> Response:
    """The asset as a response to `request`: gzip if it takes it, 304 if it has it already."""
    packed = asset.gzipped is not None and _takes_gzip(request)
    body = asset.gzipped if packed and asset.gzipped is not None else asset.body
    response = Response(body, content_type=asset.mimetype)
    response.headers["Cache-Control"] = cache_control
    response.headers["Vary"] = "Accept-Encoding"
    if packed:
        response.headers["Content-Encoding"] = "gzip"
    response.set_etag(f"{asset.etag}-gz" if packed else asset.etag)
    return response.make_conditional(request)


def cache_control(request: Request) -> str:
    """A year for a fingerprinted name of the current files; revalidate anything else."""
    return KEEP if request.args.get("v") == version() else REVALIDATE
