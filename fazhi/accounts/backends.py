"""The password backend: Django's ModelBackend, whose `get_user` (run on every signed-in request) takes the user
row the session store read with the session (one statement for both), or reads it through `core.rowread`
instead of building a `.get(pk=…)` query."""

from django.contrib.auth import backends, get_user_model

from fazhi.accounts.session_store import take_user
from fazhi.core.rowread import by_pk


class ModelBackend(backends.ModelBackend):
    def get_user(self, user_id):
        user = take_user(user_id) or by_pk(get_user_model(), user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
