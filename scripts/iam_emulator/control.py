"""The control API, under ``/_emulator/`` on the emulator's own port (never counted as IAM calls).

    POST /_emulator/reset   moto's state (moto's own reset), counters and settings back to defaults
    GET  /_emulator/calls   {"calls": {"CreateLoginProfile": 2, …}, "faults": {"Throttling": 3, …}}
    GET  /_emulator/config  the settings (see settings.py)
    POST /_emulator/config  merge a partial JSON object into them; answers the result

Answers are JSON; a bad request is a 400 ``{"error": "…"}`` naming what is wrong.
"""

import json
from typing import Any, Callable, Iterable

from moto.moto_api._internal.models import moto_api_backend

from .errors import StartResponse
from .realism import Realism

PREFIX = "/_emulator/"
MAX_BODY = 64 * 1024


def control_app(realism: Realism) -> Callable[[dict[str, Any], StartResponse], Iterable[bytes]]:
    def app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        method, path = environ["REQUEST_METHOD"], environ.get("PATH_INFO", "").rstrip("/")
        route = (method, path)
        if route == ("POST", "/_emulator/reset"):
            moto_api_backend.reset()
            realism.reset()
            return _json(start_response, 200, {"reset": True})
        if route == ("GET", "/_emulator/calls"):
            return _json(start_response, 200, realism.counts())
        if route == ("GET", "/_emulator/config"):
            return _json(start_response, 200, realism.settings.to_json())
        if route == ("POST", "/_emulator/config"):
            try:
                patch = json.loads(_body(environ) or b"{}")
                settings = realism.configure(patch)
            except ValueError as error:
                return _json(start_response, 400, {"error": str(error)})
            return _json(start_response, 200, settings.to_json())
        known = "POST reset, GET calls, GET config, POST config"
        return _json(start_response, 404, {"error": f"no control call {method} {path} ({known})"})

    return app


def _body(environ: dict[str, Any]) -> bytes:
    length = int(environ.get("CONTENT_LENGTH") or 0)
    if length > MAX_BODY:
        raise ValueError("body too large")
    return environ["wsgi.input"].read(length)


def _json(start_response: StartResponse, status: int, value: Any) -> Iterable[bytes]:
    body = json.dumps(value).encode()
    reason = {200: "OK", 400: "Bad Request", 404: "Not Found"}[status]
    start_response(
        f"{status} {reason}",
        [("Content-Type", "application/json"), ("Content-Length", str(len(body)))],
    )
    return [body]
