"""handler500: a database that is away (restarting, unreachable, out of connections) is a 503 with
Retry-After, in words for pages and JSON for the API, not a server-error page; anything else is the
usual 500. Django calls the handler while the exception is being handled, so it can look at it.
Nothing here touches the database (no context processors)."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views import defaults

RETRY_AFTER_SECONDS = 30


def database_unavailable(exception: BaseException | None) -> bool:
    return isinstance(exception, OperationalError | InterfaceError)


def server_error(request, template_name: str = "500.html"):
    if not database_unavailable(sys.exc_info()[1]):
        return defaults.server_error(request, template_name)
    message = _("The service is briefly unavailable (its database cannot be reached). Please try again.")
    if request.path_info.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=503)
    else:
        response = HttpResponse(loader.get_template("503.html").render({"message": message}), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
