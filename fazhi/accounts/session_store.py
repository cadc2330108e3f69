"""The database session store (SESSION_ENGINE): Django's, with the session row and its user's row read in one
statement. Every signed-in request reads both; on PostgreSQL each round trip to the database counts, and
building the ORM's queries cost more than either read. The user comes through 我的登录会话's row
(UserSession, the same session key), written on the session's first request: until then, or if that row
names anyone else, the auth backend reads the user itself."""

from __future__ import annotations

import contextvars
from functools import lru_cache

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone

from fazhi.core import rowread

# The user row read with this context's latest session; taken (and cleared) by the backend's get_user.
_user_read: contextvars.ContextVar = contextvars.ContextVar("fazhi_session_user", default=None)


@lru_cache(maxsize=8)
def _plan(alias: str):
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.models import Session

    from fazhi.accounts.models import UserSession

    connection, User = connections[alias], get_user_model()
    quote = connection.ops.quote_name
    s_cols, s_names, s_conv = rowread.columns(connection, Session, "s")
    u_cols, u_names, u_conv = rowread.columns(connection, User, "u")
    us = UserSession._meta
    sql = (f"SELECT {', '.join(s_cols + u_cols)} FROM {quote(Session._meta.db_table)} s"
           f" LEFT JOIN {quote(us.db_table)} us ON us.{quote(us.get_field('session_key').column)} = s.session_key"
           f" LEFT JOIN {quote(User._meta.db_table)} u ON u.{quote(User._meta.pk.column)}"
           f" = us.{quote(us.get_field('user').column)}"
           f" WHERE s.session_key = %s AND s.expire_date > %s")
    return sql, Session, (s_names, s_conv, len(s_cols)), User, (u_names, u_conv)


def take_user(user_id):
    """The user row read with the session, if it is the user `user_id` names; once."""
    user = _user_read.get()
    _user_read.set(None)
    return user if user is not None and user.pk == user_id else None


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        _user_read.set(None)
        if not self.session_key:
            self._session_key = None
            return None
        from django.contrib.sessions.models import Session

        alias = router.db_for_read(Session)
        sql, model, (s_names, s_conv, width), User, (u_names, u_conv) = _plan(alias)
        connection = connections[alias]
        key_field, expiry_field = model._meta.pk, model._meta.get_field("expire_date")
        params = [key_field.get_db_prep_value(self.session_key, connection),
                  expiry_field.get_db_prep_value(timezone.now(), connection)]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        if row[width] is not None:  # the user's id column: a 我的登录会话 row and its user were found
            _user_read.set(rowread.instance(User, alias, connection, u_names, u_conv, row[width:]))
        return rowread.instance(model, alias, connection, s_names, s_conv, row[:width])
