"""IAM errors written by the emulator itself, in the query protocol's XML.

The AWS SDKs read ``Code`` and ``Message`` from ``<ErrorResponse><Error>`` and decide retries from
the code and the HTTP status, so injected faults must look exactly like IAM's own errors.
"""

import uuid
from typing import Callable, Iterable
from xml.sax.saxutils import escape

StartResponse = Callable[..., object]


def iam_error(
    start_response: StartResponse, status: int, code: str, message: str
) -> Iterable[bytes]:
    """Answers the request with an IAM error; 5xx errors are the service's fault (``Receiver``)."""
    fault = "Receiver" if status >= 500 else "Sender"
    request_id = str(uuid.uuid4())
    body = (
        '<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">'
        f"<Error><Type>{fault}</Type><Code>{escape(code)}</Code>"
        f"<Message>{escape(message)}</Message></Error>"
        f"<RequestId>{request_id}</RequestId></ErrorResponse>"
    ).encode()
    start_response(
        f"{status} {_REASONS.get(status, 'Error')}",
        [
            ("Content-Type", "text/xml"),
            ("Content-Length", str(len(body))),
            ("x-amzn-RequestId", request_id),
        ],
    )
    return [body]


_REASONS = {
    400: "Bad Request",
    404: "Not Found",
    409: "Conflict",
    500: "Internal Server Error",
    503: "Service Unavailable",
}
