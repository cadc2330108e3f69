"""Log filters. A refused request (403, 400) is the user's mistake or a probe, not a bug: it is
logged as one line, without the traceback that would bury real errors."""

import logging


class NoTracebackBelow500(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", 500) < 500:
            record.exc_info, record.exc_text = None, None
        return True
