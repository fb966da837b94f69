"""URL policy: which API base URLs are allowed, and the only URLs a connection may call."""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from urllib.parse import SplitResult, quote, urlsplit

from .errors import ConnectorError

DEFAULT_BASE_URL = "https://rest.tsheets.com/api/v1"
Origin = tuple[str, str, int]


def is_loopback(host: str | None) -> bool:
    """Whether a host name is this machine (127.0.0.0/8, ::1 or localhost)."""
    if not host:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _refuse(base_url: str, why: str) -> ConnectorError:
    return ConnectorError(f"base_url {base_url!r} is refused: {why}.")


def _ascii_host(base_url: str, host: str) -> str:
    """The host as it goes on the wire: IDNA for a non-ASCII name, refused if it has none."""
    if host.isascii():
        labels = host.split(".")
        if any(label.lower().startswith("xn--") for label in labels):
            try:
                host.encode("ascii").decode("idna")
            except UnicodeError:
                raise _refuse(base_url, "its host is not a valid IDNA name") from None
        return host
    try:
        ascii_host = host.encode("idna").decode("ascii")
        if ascii_host.encode("ascii").decode("idna") != host.lower():
            raise UnicodeError("the name changes when encoded")
    except UnicodeError:
        raise _refuse(base_url, "its host is not a valid IDNA name") from None
    return ascii_host


# origin() and api_url() run on every request, for the few URLs a connection calls: parsing
# each anew was a third of what a call cost on top of requests itself. Both are pure.
@lru_cache(maxsize=1024)
def origin(url: str) -> Origin:
    """Scheme, host and port of a URL, as requests would connect to them."""
    from urllib3.util import parse_url

    parsed = parse_url(url)
    scheme = (parsed.scheme or "").lower()
    return scheme, (parsed.host or "").lower().strip("[]"), parsed.port or _default_port(scheme)


def _default_port(scheme: str) -> int:
    return 443 if scheme == "https" else 80


def check_base_url(base_url: str) -> str:
    """The base URL (ASCII host, no trailing slash): https, or plain http on loopback only.

    Parsed, not matched by string: userinfo, fragments, backslashes, blanks and any URL that
    requests would send to another host than the one checked here are refused.
    """
    parts = _split(base_url)
    port = _allowed_port(base_url, parts)
    host = _ascii_host(base_url, str(parts.hostname))
    shown = f"[{host}]" if ":" in host else host
    netloc = f"{shown}:{port}" if port is not None else shown
    normal = f"{parts.scheme}://{netloc}{parts.path}".rstrip("/")
    if origin(normal) != (parts.scheme, host.lower(), port or _default_port(parts.scheme)):
        raise _refuse(base_url, "requests would send it to another host")
    return normal


def _split(base_url: str) -> SplitResult:
    """The URL's parts; text with blanks or control characters, or that fails to parse, is
    refused before any part of it is trusted."""
    if any(c == "\\" or c.isspace() or not c.isprintable() for c in base_url):
        raise _refuse(base_url, "it contains a backslash, a blank or a control character")
    try:
        parts = urlsplit(base_url)
        parts.hostname  # noqa: B018 (parsing the host is what can fail: "http://[::1")
    except ValueError:
        raise _refuse(base_url, "it is not a URL that can be parsed") from None
    return parts


def _allowed_port(base_url: str, parts: SplitResult) -> int | None:
    """The URL's port (None: the scheme's), once its scheme, host and parts may be a base URL's."""
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise _refuse(base_url, "it must be https:// (plain http:// only for a loopback sandbox)")
    if "@" in parts.netloc or parts.fragment or parts.query:
        raise _refuse(base_url, "it may not carry a user name, a query or a fragment")
    try:
        port = parts.port
    except ValueError:
        raise _refuse(base_url, "its port is invalid") from None
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise _refuse(base_url, "it must be https:// (plain http:// only for a loopback sandbox)")
    return port


@lru_cache(maxsize=1024)
def api_url(base_url: str, path: str) -> str:
    """The absolute URL of an API path; each segment is escaped, so ids cannot leave it."""
    segments = [quote(s, safe="") for s in path.strip("/").split("/") if s]
    if not segments or any(s in {".", ".."} for s in segments):
        raise ConnectorError(f"Invalid API path {path!r}.")
    url = f"{base_url}/{'/'.join(segments)}"
    if origin(url) != origin(base_url):
        raise ConnectorError(f"Invalid API path {path!r}: it leaves the API.")
    return url
