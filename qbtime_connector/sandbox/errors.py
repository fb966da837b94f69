"""The sandbox's error answers, in the API's shape."""

from __future__ import annotations

REASONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    406: "Not Acceptable",
    409: "Conflict",
    413: "Request Entity Too Large",
    417: "Expectation Failed",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


class ApiFailure(Exception):
    """A whole request refused: answered as {"error": {"code", "message"}}."""

    def __init__(self, status: int, detail: str = "") -> None:
        self.status = status
        reason = REASONS.get(status, "Error")
        self.message = f"{reason}: {detail}" if detail else reason
        super().__init__(self.message)

    def body(self) -> dict[str, object]:
        """The API's error body."""
        return {"error": {"code": self.status, "message": self.message}}


class GrantFailure(Exception):
    """A token request refused: answered in the RFC 6749 shape."""

    def __init__(self, error: str, description: str, status: int = 400) -> None:
        self.error = error
        self.description = description
        self.status = status
        super().__init__(description)

    def body(self) -> dict[str, str]:
        """The RFC 6749 error body."""
        return {"error": self.error, "error_description": self.description}


class ItemFailure(Exception):
    """One item of a batch write refused; the batch goes on."""

    def __init__(
        self, status: int, message: str, extra: str = "", record: dict[str, object] | None = None
    ) -> None:
        self.status = status
        self.message = message
        self.extra = extra
        self.record = record  # what the answer carries instead of the item sent (409)
        super().__init__(message)
