"""Errors written by the emulator itself: IAM's (and STS's) in the query protocol's XML,
CloudTrail's in awsJson 1.1, and S3's in its REST XML.

The AWS SDKs read ``Code`` and ``Message`` from ``<ErrorResponse><Error>`` (query), from
``<Error>`` (S3) or ``__type`` and ``message`` from a JSON body (awsJson), and decide retries from
the code and the HTTP status, so injected faults must look exactly like the service's own errors.
"""

import json
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


def s3_error(
    start_response: StartResponse, status: int, code: str, message: str
) -> Iterable[bytes]:
    """Answers an S3 request with an error as S3 writes it (S3 API reference, "Error responses"):
    ``<Error>`` with Code, Message and RequestId, as application/xml."""
    request_id = uuid.uuid4().hex[:16].upper()
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<Error><Code>{escape(code)}</Code><Message>{escape(message)}</Message>"
        f"<RequestId>{request_id}</RequestId></Error>"
    ).encode()
    start_response(
        f"{status} {_REASONS.get(status, 'Error')}",
        [
            ("Content-Type", "application/xml"),
            ("Content-Length", str(len(body))),
            ("x-amz-request-id", request_id),
        ],
    )
    return [body]


def json_error(
    start_response: StartResponse, status: int, code: str, message: str
) -> Iterable[bytes]:
    """Answers an awsJson 1.1 request (CloudTrail's) with an error, as the service writes it."""
    return json_answer(start_response, status, {"__type": code, "message": message})


def json_answer(start_response: StartResponse, status: int, value: object) -> Iterable[bytes]:
    """Answers an awsJson 1.1 request with ``value``, with the headers such a service sends."""
    request_id = str(uuid.uuid4())
    body = json.dumps(value).encode()
    start_response(
        f"{status} {'OK' if status == 200 else _REASONS.get(status, 'Error')}",
        [
            ("Content-Type", "application/x-amz-json-1.1"),
            ("Content-Length", str(len(body))),
            ("x-amzn-RequestId", request_id),
        ],
    )
    return [body]


_REASONS = {
    400: "Bad Request",
    403: "Forbidden",
    404: "Not Found",
    409: "Conflict",
    500: "Internal Server Error",
    503: "Service Unavailable",
}
