"""Process set-up a production worker does once: the garbage collector tuned for a web server.

A full (oldest-generation) collection walks every object the process holds. In a worker that has
loaded Django, the URLconf, the templates, the embedding model and the in-memory indexes, that is
hundreds of thousands of objects, and a full collection paused whichever request triggered it by 40
to 90 ms: on the scale volume the same page measured p50 26 ms and p95 92 ms.

- What exists after start-up is frozen (CPython's gc.freeze, as Instagram does with its Django
  workers): no collection walks it again.
- Full collections are made a hundred times rarer (after 1,000 middle-generation passes instead of
  CPython's 10). Requests free their own garbage by reference counting and the young generations
  still collect short-lived cycles; what survives waits longer for a full pass.
- The youngest threshold stays CPython's 700: raising it to 50,000 was tried and made each young
  collection cost 11 ms.

Measured on bench/pages.py (SQLite, scale volume, 20 runs): the activity list and the activities
API as donor, expert and anonymous went from p95 86-119 ms (CPython's defaults) and 44-80 ms
(freeze only) to 23-41 ms.
"""

import gc

YOUNG, MIDDLE, FULL = 700, 10, 1000


def tune_garbage_collector() -> None:
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG, MIDDLE, FULL)
