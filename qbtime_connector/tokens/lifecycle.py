"""A connection's token over its life: loaded from its store, refreshed once, never lost."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

from ..errors import AuthError
from .store import Token, TokenStore, is_newer, normalise_token

log = logging.getLogger("qbtime_connector")
TokenCallback = Callable[[Token], None]
Grant = Callable[[str], Token]


class TokenKeeper:
    """The token in use, its store, and the one refresh at a time that replaces it.

    Every refresh happens under the store's lock after re-reading the store: a token another
    worker stored meanwhile is adopted instead of calling the grant endpoint again. A token is
    only ever replaced by a newer one; a token that could not be saved is saved again later.
    """

    def __init__(
        self,
        store: TokenStore,
        grant: Grant,
        given: Mapping[str, Any] | None = None,
        on_token_refresh: TokenCallback | None = None,
        refresh_margin: float = 300.0,
        seed_store: bool = True,
    ) -> None:
        self.store = store
        self._grant = grant
        self.on_token_refresh = on_token_refresh
        self.refresh_margin = refresh_margin
        self._mutex = threading.Lock()
        self._unsaved = False
        self.refresh_count = 0
        self._seed_store = seed_store
        self._token = self._first_token(given)

    def __repr__(self) -> str:
        return f"TokenKeeper(store={self.store!r})"

    def _first_token(self, given: Mapping[str, Any] | None) -> Token:
        stored = self.store.load()
        if given is not None and not isinstance(given, Mapping):
            normalise_token(given)  # raises AuthError: a token is a mapping of its fields
        if given and given.get("access_token"):
            mine = normalise_token(given)
            if self._seed_store and (stored is None or is_newer(mine, stored)):
                with self.store.lock():
                    stored = self.store.load()
                    if stored is None or is_newer(mine, stored):
                        self.store.save(mine)
                        return mine
            if stored is None or not is_newer(stored, mine):
                return mine
        if stored is None:
            raise AuthError("The connection has no access token (its token store is empty).")
        return normalise_token(stored)

    @property
    def token(self) -> Token:
        """A copy of the token in use."""
        return dict(self._token)

    def _expiring(self, token: Token) -> bool:
        expires_at = token.get("expires_at")
        return expires_at is not None and float(expires_at) - self.refresh_margin <= time.time()

    def current(self) -> Token:
        """The token to send now: refreshed first when it is about to expire."""
        if self._unsaved:
            self._save_again()
        token = self._token
        if self._expiring(token):
            self.refresh(stale=token["access_token"])
            token = self._token
        return token

    def _adopt_newer(self) -> None:
        stored = self.store.load()
        if is_newer(stored, self._token):
            self._token = normalise_token(stored)
            self._unsaved = False

    def refresh(self, stale: str | None = None) -> Token:
        """Refresh once, however many callers ask; `stale` is the access token they saw fail."""
        with self._mutex, self.store.lock():
            self._adopt_newer()
            if stale is not None and self._token["access_token"] != stale:
                return self.token  # another thread or worker refreshed while we waited
            refresh_token = self._token.get("refresh_token")
            if not refresh_token:
                raise AuthError("The access token has expired and there is no refresh token.")
            new = self._grant(str(refresh_token))
            new.setdefault("refresh_token", refresh_token)
            if self._token.get("base_url"):  # the API that issued it (`login` keeps it there)
                new.setdefault("base_url", self._token["base_url"])
            self.refresh_count += 1
            log.info(
                "Refreshed the access token; the new one lasts %s s", new.get("expires_in", "?")
            )
            try:
                self._persist(new)  # stored before any request uses it
            finally:
                # The old refresh token is dead now: the new one is kept even if storing failed.
                self._token = new
            return self.token

    def _persist(self, token: Token) -> None:
        self._unsaved = True
        self.store.save(token)
        if self.on_token_refresh is not None:
            self.on_token_refresh(dict(token))
        self._unsaved = False

    def _save_again(self) -> None:
        with self._mutex, self.store.lock():
            if self._unsaved:
                self._adopt_newer()
            if self._unsaved:
                log.warning("Saving the rotated token again after an earlier failure.")
                self._persist(self._token)
