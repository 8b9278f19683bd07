"""Values worked out once per request and forgotten when it ends.

A page asks the same question of the permissions many times ("which meetings does this user take
part in?" appears in the filter of every meeting row it reads). Inside a request the answer cannot
change under the reader, so it is computed once; outside one (services, jobs, tests) `remembered`
computes it every time, so no answer outlives what it was computed from.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from contextvars import ContextVar
from typing import Any

_store: ContextVar[dict | None] = ContextVar("cbhub_request_memo", default=None)


def in_request() -> bool:
    """Whether a request's memo is open (a GET or HEAD being served)."""
    return _store.get() is not None


def remembered(key: Hashable, compute: Callable[[], Any]) -> Any:
    store = _store.get()
    if store is None:
        return compute()
    if key not in store:
        store[key] = compute()
    return store[key]


class RequestMemoMiddleware:
    """Gives each GET and HEAD request its own memo. Other methods write, and what they read after a
    write must be new, so they remember nothing."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        token = _store.set({})
        try:
            return self.get_response(request)
        finally:
            _store.reset(token)
