"""Job handlers by kind. An app registers `handler(job, progress)` for each kind of job it runs."""

from collections.abc import Callable

_handlers: dict[str, Callable] = {}


def job_handler(kind: str):
    def register(function: Callable) -> Callable:
        _handlers[kind] = function
        return function

    return register


def handler_for(kind: str) -> Callable:
    return _handlers[kind]
