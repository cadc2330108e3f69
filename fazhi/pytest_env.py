"""Loaded by pytest before Django's settings (`-p fazhi.pytest_env` in pyproject's addopts): tests run like
production (FAZHI_DEBUG=0), which refuses the development secret key, so the run gets a key of its own."""

import os

os.environ.setdefault("FAZHI_SECRET_KEY", "fazhi-test-run-" + os.urandom(24).hex())
