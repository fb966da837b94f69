"""Where a store is, said without its password: database names for errors, texts scrubbed.

A libpq connection string may hold a password, as a URL (`postgresql://user:PW@host/db`, or a
`?password=` parameter) or as keywords (`host=… password=PW`). libpq and psycopg quote the whole
string in some errors (a malformed URL), so every text about a store passes `scrub` first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import quote, quote_plus, unquote

URL_PASSWORD = re.compile(r"(://[^/@\s:]*):([^@\s]*)@")  # the ":PW" of "scheme://user:PW@"
KEYWORD_PASSWORD = re.compile(r"(password\s*=\s*)('(?:[^'\\]|\\.)*'|[^\s&]+)", re.IGNORECASE)
KEYWORD = re.compile(r"(\w+)\s*=\s*('(?:[^'\\]|\\.)*'|\S+)")
SAID = ("host", "hostaddr", "port", "dbname", "user")  # the keywords that say where a database is


def is_url(dsn: str) -> bool:
    return dsn.lower().startswith(("postgresql://", "postgres://"))


def database_name(dsn: str) -> str:
    """The DSN as `postgresql://user@host:port/db` or `host=… dbname=…`: never a password."""
    if is_url(dsn):
        scheme, _, rest = dsn.partition("://")
        where = rest.split("?", 1)[0]
        user, at, place = where.rpartition("@")
        user = user.split(":", 1)[0]
        return f"{scheme}://{user}{at}{place}"
    said = [f"{k}={v}" for k, v in KEYWORD.findall(dsn) if k.lower() in SAID]
    return "postgresql " + " ".join(said) if said else "postgresql (a keyword DSN)"


def passwords_in(dsn: str) -> list[str]:
    """The passwords a DSN carries, as written and decoded, to take out of any text."""
    found = [m.group(2) for m in URL_PASSWORD.finditer(dsn)]
    found += [m.group(2).strip("'") for m in KEYWORD_PASSWORD.finditer(dsn)]
    return [form for p in found if p for form in {p, unquote(p)}]


def scrub(text: str, secrets: Iterable[str] = ()) -> str:
    """The text without URL passwords, `password=` values, or any of `secrets` in any form."""
    # Shorter secrets are taken out where a URL or a keyword carries them, not everywhere.
    forms = {f for s in secrets if len(s) >= 4 for f in (s, quote_plus(s), quote(s, safe=""))}
    for form in sorted(forms, key=len, reverse=True):
        text = text.replace(form, "[redacted]")
    text = URL_PASSWORD.sub(r"\1@", text)
    return KEYWORD_PASSWORD.sub(r"\1[redacted]", text)
