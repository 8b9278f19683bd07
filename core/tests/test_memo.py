"""The per-request memo: a GET computes each remembered answer once; a POST, and code outside a
request (services, jobs), compute it every time, so no answer outlives what it was read from."""

from django.http import HttpResponse
from django.test import RequestFactory

from core.memo import RequestMemoMiddleware, in_request, remembered


def _counting():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    return calls, compute


def _view(compute, seen):
    def view(request):
        seen.append((in_request(), remembered("key", compute), remembered("key", compute)))
        return HttpResponse()

    return view


def test_a_get_computes_once_and_forgets_at_its_end():
    calls, compute = _counting()
    seen = []
    middleware = RequestMemoMiddleware(_view(compute, seen))
    middleware(RequestFactory().get("/"))
    middleware(RequestFactory().get("/"))
    assert seen == [(True, 1, 1), (True, 2, 2)]
    assert not in_request()


def test_a_post_and_code_outside_requests_compute_every_time():
    calls, compute = _counting()
    seen = []
    RequestMemoMiddleware(_view(compute, seen))(RequestFactory().post("/"))
    assert seen == [(False, 1, 2)]
    assert (remembered("key", compute), remembered("key", compute)) == (3, 4)
