"""Domain errors carry a message in plain Chinese that views show to the user unchanged."""


class DomainError(Exception):
    """A refused action: the statute, a guard or bad input says no. Nothing was changed."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class ConflictError(DomainError):
    """Someone else changed the record between the user's read and write."""

    def __init__(self, message: str = "该记录已被他人修改，请刷新页面后重试。"):
        super().__init__(message)
