"""Bench-only settings for bench/scale.py: the product's settings with the bench URLconf (the product's URLs
plus the floor views). Never used by the product."""

import os

from fazhi.settings import *  # noqa: F403

ROOT_URLCONF = "scale_urls"
# the bench decides where a large export goes to the background (the product's default is 5,000 rows)
FAZHI_EXPORT_BACKGROUND_ROWS = int(os.environ.get("FAZHI_EXPORT_BACKGROUND_ROWS", "5000"))
