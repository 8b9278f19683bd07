"""Requests no view can answer sensibly are refused here, with a 400 page (JSON for the API), before
any view, template or error page parses them: more query parameters than Django accepts
(`DATA_UPLOAD_MAX_NUMBER_FIELDS`) and NUL characters in the path or the query string (no database
text holds one: PostgreSQL refuses it)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import JsonResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import defaults


def is_api(request) -> bool:
    return request.path_info.startswith("/api/")


def bad_request_response(request, message: str):
    """A 400 answer with `message`: JSON for the API, the 400 page for everything else."""
    if is_api(request):
        return JsonResponse({"detail": message}, status=400)
    return render(request, "400.html", {"message": message}, status=400)


def request_problem(request) -> str | None:
    if "\x00" in request.path_info:
        return _("An address may not contain a NUL character.")
    try:
        query = request.GET
    except TooManyFieldsSent:
        return _("This request has more than %(limit)d query parameters.") % {
            "limit": settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        }
    for key, values in query.lists():
        if "\x00" in key or any("\x00" in value for value in values):
            return _("A query parameter may not contain a NUL character.")
    return None


class BadRequestMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        problem = request_problem(request)
        if problem is None:
            return self.get_response(request)
        # Nothing after this (templates, the debug page) may parse the refused query again.
        request.GET = QueryDict()
        return bad_request_response(request, problem)


def not_found(request, exception=None):
    """handler404: an API address that names nothing answers JSON, as the API's own 404s do."""
    if is_api(request):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return defaults.page_not_found(request, exception)


def bad_request(request, exception=None):
    """handler400: what Django refuses itself (too many form fields, a malformed upload) gets the
    project's page and a message instead of a bare "Bad Request"."""
    if isinstance(exception, TooManyFieldsSent):
        message = _("This form has more than %(limit)d fields.") % {
            "limit": settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        }
    elif isinstance(exception, RequestDataTooBig):
        message = _("This request is larger than the server accepts.")
    else:
        message = _("The request could not be understood.")
    try:
        request.GET.keys()  # the page below reads the query string; it must parse
    except TooManyFieldsSent:
        request.GET = QueryDict()
    return bad_request_response(request, message)
