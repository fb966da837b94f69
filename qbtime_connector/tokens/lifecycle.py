"""A connection's token over its life: loaded from its store, refreshed once, never lost."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

from ..errors import AuthError
from ..processes import PerProcess
from ..retry import RetryPolicy
from . import pending
from .store import Token, TokenStore, generation, is_newer, normalise_token, seconds_of

log = logging.getLogger("qbtime_connector")
TokenCallback = Callable[[Token], None]
Grant = Callable[[str], Token]

# The refresh margin is at most this share of a token's life: a token is used for 95% of it, so
# there are at most 1/0.95 = 1.05 grants per lifetime, and a 60-s token is still refreshed 3 s
# early (more than a call and its retries take on a healthy API; a later expiry gets the 401
# path: one refresh, one retry).
MARGIN_SHARE = 0.05
# Saving a rotated token is tried again for about 8 s (a restarting database, a busy file).
SAVE_RETRY = RetryPolicy(max_retries=6, base_delay=0.1, max_delay=2.0, budget=8.0)


class TokenKeeper:
    """The token in use, its store, and the one refresh at a time that replaces it.

    Every refresh happens under the store's lock after re-reading the store: a token another
    worker stored meanwhile is adopted instead of calling the grant endpoint again. A token is
    only ever replaced by a newer one (by generation, a count every worker agrees on); its
    expiry is stamped and read by the store's clock, never by this worker's alone. A rotated
    token that cannot be saved is kept (here, and by the process) and saved again later.
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
        clock = getattr(store, "clock", None)
        self.now: Callable[[], float] = clock if callable(clock) else time.time
        self._mutex: PerProcess[threading.Lock] = PerProcess(threading.Lock)
        self._unsaved = False
        self.refresh_count = 0
        self._seed_store = seed_store
        self._token = self._first_token(given)

    def __repr__(self) -> str:
        return f"TokenKeeper(store={self.store!r})"

    def _first_token(self, given: Mapping[str, Any] | None) -> Token:
        if given is not None and not isinstance(given, Mapping):
            normalise_token(given)  # raises AuthError: a token is a mapping of its fields
        stored = self.store.load()
        kept = pending.newer_than(self.store, stored)
        if kept is not None:  # a rotated token this process could not save yet: save it first
            self._unsaved = True
            return kept
        if given and given.get("access_token"):
            mine = normalise_token(given)
            if self._seed_store and (stored is None or is_newer(mine, stored)):
                with self.store.lock():
                    stored = self.store.load()
                    if stored is None or is_newer(mine, stored):
                        if generation(stored) is not None:
                            mine["generation"] = _next_generation(mine, stored)
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

    def margin(self, token: Mapping[str, Any]) -> float:
        """Seconds before expiry to refresh: the margin, capped at a share of the token's life."""
        try:
            life = seconds_of(token.get("expires_in"), "expires_in")
        except AuthError:
            return self.refresh_margin
        return min(self.refresh_margin, MARGIN_SHARE * life) if life > 0 else self.refresh_margin

    def _expiring(self, token: Token) -> bool:
        expires_at = token.get("expires_at")
        return expires_at is not None and float(expires_at) - self.margin(token) <= self.now()

    def current(self) -> Token:
        """The token to send now: refreshed first when it is about to expire."""
        if self._unsaved:
            self._save_again()
        token = self._token
        if self._expiring(token):
            self.refresh(stale=token["access_token"])
            token = self._token
        return token

    def _adopt_newer(self) -> Token | None:
        """Take a newer stored token (returns what the store holds)."""
        stored = self.store.load()
        if is_newer(stored, self._token):
            self._token = normalise_token(stored)
            self._unsaved = False
            pending.settled(self.store, self._token)
        return stored

    def refresh(self, stale: str | None = None) -> Token:
        """Refresh once, however many callers ask; `stale` is the access token they saw fail."""
        try:
            with self._mutex.get(), self.store.lock():
                return self._refresh_locked(stale)
        except AuthError:
            # Refused. A worker whose lock was lost with its database session may have refreshed
            # meanwhile: if it stored a newer token, that one is good.
            with self._mutex.get(), self.store.lock():
                before = self._token["access_token"]
                self._adopt_newer()
                if self._token["access_token"] != before:
                    log.warning("A refresh was refused; another worker had stored a newer token.")
                    return self.token
            raise

    def _refresh_locked(self, stale: str | None) -> Token:
        stored = self._adopt_newer()
        if stale is not None and self._token["access_token"] != stale:
            return self.token  # another thread or worker refreshed while we waited
        refresh_token = self._token.get("refresh_token")
        if not refresh_token:
            raise AuthError("The access token has expired and there is no refresh token.")
        new = self._grant(str(refresh_token))
        new.setdefault("refresh_token", refresh_token)
        if self._token.get("base_url"):  # the API that issued it (`login` keeps it there)
            new.setdefault("base_url", self._token["base_url"])
        if new.get("expires_in") not in (None, ""):  # stamped by the clock every worker reads
            new["expires_at"] = self.now() + seconds_of(new["expires_in"], "expires_in")
        new["generation"] = _next_generation(self._token, stored)
        self.refresh_count += 1
        log.info("Refreshed the access token; the new one lasts %s s", new.get("expires_in", "?"))
        try:
            self._persist(new)  # stored before any request uses it
        finally:
            # The old refresh token is dead now: the new one is kept even if storing failed.
            self._token = new
        return self.token

    def _persist(self, token: Token) -> None:
        self._unsaved = True
        self._save(token)
        if self.on_token_refresh is not None:
            self.on_token_refresh(dict(token))
        self._unsaved = False

    def _save(self, token: Token) -> None:
        """Save, trying again with backoff; a token still refused is kept by the process."""
        policy, tries, waited = SAVE_RETRY, 0, 0.0
        while True:
            try:
                self.store.save(token)
                pending.settled(self.store, token)
                return
            except Exception as error:
                wait = policy.next_wait(tries, waited, None)
                if wait is None:
                    pending.keep(self.store, token)
                    raise
                log.warning(
                    "Saving the rotated token failed (%s); retry %d in %.1f s",
                    type(error).__name__,
                    tries + 1,
                    wait,
                )
                policy.sleep(wait)
                tries, waited = tries + 1, waited + wait

    def _save_again(self) -> None:
        with self._mutex.get(), self.store.lock():
            if self._unsaved:
                self._adopt_newer()
            if self._unsaved:
                log.warning("Saving the rotated token again after an earlier failure.")
                self._persist(self._token)

    def close(self) -> None:
        """Save a rotated token the store refused before, if any (else the process keeps it)."""
        if not self._unsaved:
            return
        try:
            self._save_again()
        except Exception as error:
            log.error(
                "The rotated token of %r is still unsaved (%s): this process keeps it and saves "
                "it at the next use of the store.",
                self.store,
                type(error).__name__,
            )


def _next_generation(*tokens: Mapping[str, Any] | None) -> int:
    """One above every generation among `tokens` (the one replaced, the one stored)."""
    return max((generation(t) or 0 for t in tokens), default=0) + 1
