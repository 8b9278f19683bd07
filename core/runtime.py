"""Process set-up a production worker does once: the garbage collector tuned for a web server.

A full (oldest-generation) collection walks every object the process holds. In a worker that has
loaded Django, the URLconf, the templates, the embedding model and the in-memory indexes, that is
hundreds of thousands of objects, and the collection pauses whichever request triggered it by 40 to
100 ms (measured on the scale volume: p50 29 ms, p95 90 ms, on the same page). Freezing what exists
after start-up moves it out of the collector's sight (CPython's gc.freeze, as Instagram does with
its Django workers), so later collections walk only what requests made. The thresholds stay
CPython's: a larger youngest threshold was tried and made each young collection cost 11 ms.
"""

import gc


def tune_garbage_collector() -> None:
    gc.collect()
    gc.freeze()
