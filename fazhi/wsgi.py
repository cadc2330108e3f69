import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
application = get_wsgi_application()

from fazhi.core.warmup import warm  # noqa: E402 - after the app registry is ready

warm()
