"""The rendered page for anonymous visitors, kept for a minute: the public activity list is the
busiest page and the same for every visitor without a session.

A page is kept under the data's stamp, which any save or deletion of the rows it shows replaces
(`register_stamp_signals`), so a change shows at once in this process and, with a shared cache
(Redis in production), in every process; a bulk change without signals shows within
`PAGE_CACHE_SECONDS` (60 by default; 0 turns the cache off, as the test settings do).
The CSRF token is not kept: it is a placeholder in the stored page, filled with the visitor's own
token when served. Visitors with a session or pending messages are never served a kept page.
"""

from __future__ import annotations

import hashlib
import re
import uuid

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

TOKEN_PLACEHOLDER = "__cbhub_csrf_token__"
_TOKEN_IN_PAGE = re.compile(r'(name="csrfmiddlewaretoken" value=")([^"]+)(")')


def data_stamp(name: str) -> str:
    key = f"page-stamp:{name}"
    stamp = cache.get(key)
    if stamp is None:
        stamp = uuid.uuid4().hex
        cache.set(key, stamp, None)
    return stamp


def stamp_replace(name: str) -> None:
    """A new stamp now, and again once the transaction commits: a page drawn between the save and
    the commit (with the old rows) is kept under a stamp that the commit then retires."""
    from django.db import transaction

    def replace():
        cache.set(f"page-stamp:{name}", uuid.uuid4().hex, None)

    replace()
    transaction.on_commit(replace)


def may_serve_kept(request) -> bool:
    """An anonymous GET without a session or messages: the page is the same for every such visitor."""
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method == "GET"
        and not request.user.is_authenticated
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


def _key(request, name: str) -> str:
    htmx = bool(getattr(request, "htmx", False))
    raw = f"{data_stamp(name)}|{get_language()}|{htmx}|{request.get_full_path()}"
    return "page:" + name + ":" + hashlib.sha256(raw.encode()).hexdigest()


def kept_page(request, name: str, render) -> HttpResponse:
    """The kept page for this URL, or `render()`'s answer, kept when it is a plain 200."""
    if not may_serve_kept(request):
        return render()
    key = _key(request, name)
    kept = cache.get(key)
    if kept is not None:
        content, content_type = kept
        return _served(request, content, content_type, "hit")
    response = render()
    if hasattr(response, "render") and callable(response.render) and not response.is_rendered:
        response.render()
    if response.status_code == 200 and not response.streaming and not response.cookies.get("messages"):
        content = _without_token(response.content.decode(response.charset))
        cache.set(key, (content, response["Content-Type"]), settings.PAGE_CACHE_SECONDS)
        return _served(request, content, response["Content-Type"], "miss")
    return response


def _without_token(content: str) -> str:
    tokens = {match.group(2) for match in _TOKEN_IN_PAGE.finditer(content)}
    for token in tokens:
        content = content.replace(token, TOKEN_PLACEHOLDER)
    return content


def _served(request, content: str, content_type: str, outcome: str) -> HttpResponse:
    response = HttpResponse(content.replace(TOKEN_PLACEHOLDER, get_token(request)), content_type=content_type)
    response["X-Page-Cache"] = outcome
    return response


def register_stamp_signals(name: str, models: list, m2m_through: list = ()) -> None:
    """Replace the stamp of `name` whenever one of `models` is saved or deleted (or a many-to-many
    relation of them changes)."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    def replace(**_kwargs):
        stamp_replace(name)

    for model in models:
        uid = f"page-stamp-{name}-{model._meta.label_lower}"
        post_save.connect(replace, sender=model, weak=False, dispatch_uid=f"{uid}-save")
        post_delete.connect(replace, sender=model, weak=False, dispatch_uid=f"{uid}-delete")
    for through in m2m_through:
        uid = f"page-stamp-{name}-{through._meta.label_lower}"
        m2m_changed.connect(replace, sender=through, weak=False, dispatch_uid=uid)
