"""The worker's garbage-collector set-up (core/runtime.py), applied by cbhub/wsgi.py."""

import gc
import importlib


def test_the_wsgi_module_freezes_the_start_up_heap_and_makes_full_collections_rare():
    before = gc.get_threshold()
    try:
        import cbhub.wsgi

        importlib.reload(cbhub.wsgi)
        assert gc.get_threshold() == (700, 10, 1000)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
