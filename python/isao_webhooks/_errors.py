"""The error that asks ISAO for a retry, apart from the receiver so the stores can raise it."""


class RetryableError(Exception):
    """Raise it from a handler to have ISAO retry the event (answered 503, its claim released)."""
