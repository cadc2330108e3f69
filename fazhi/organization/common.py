"""This app's form pages: the core form page with the app's template."""

from functools import partial

from fazhi.core.pages import form_page as _form_page
from fazhi.core.pages import write_township

form_page = partial(_form_page, template="organization/form.html")

__all__ = ["form_page", "write_township"]
