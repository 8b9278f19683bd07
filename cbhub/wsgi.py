import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cbhub.settings")
application = get_wsgi_application()

from core.runtime import tune_garbage_collector  # noqa: E402  (needs the settings above)

tune_garbage_collector()  # once per worker, after the application is loaded (core/runtime.py)
