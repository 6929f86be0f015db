"""Realism the tests can switch on: eventual consistency, faults, latency, and call counts.

moto answers every call at once and always succeeds when it can; AWS IAM does not. This WSGI
middleware sits in front of moto and, as ``Settings`` asks (all off by default):

- ``userPropagationSeconds``: for that long after CreateUser, CreateLoginProfile for the user
  answers NoSuchEntity (404), as IAM does while a new user propagates.
- ``profileSettleSeconds``: for that long after CreateLoginProfile, Update/DeleteLoginProfile
  answer EntityTemporarilyUnmodifiable (409) "Login Profile for User X cannot be modified while
  login profile is being created.", IAM's own message.
- ``faultRate``/``faultKinds``/``seed``: each IAM call (of ``faultActions``, default all) fails
  with that probability, drawn from a generator seeded on every configure and reset, so a run is
  repeatable: Throttling (400, "Rate exceeded"), ServiceFailure (500) or ServiceUnavailable (503),
  or a dropped connection (closed with no response at all).
- ``faultBurst``: a drawn fault repeats for this many consecutive targeted calls (default 1), as
  an overloaded or restarting endpoint fails every request for a moment, not one in N at random.
- ``latencyMs``: added before every IAM call of ``faultActions``.
- ``deniedActions``: these IAM actions answer AccessDenied (403), as IAM answers a principal whose
  policies do not allow the action: "User: arn:aws:iam::123456789012:user/x is not authorized to
  perform: iam:Action on resource: …".
- ``enforcePasswordPolicy``: see ``policy.py`` (it needs moto's stored policy, so it lives there).

It also counts the IAM calls received, by Action, the faults it injected, by error code
("Dropped" for connections, "Latency" for delayed calls), and the calls still being answered
(``inFlight``), so that a test can wait until calls a killed client left behind have landed.
Request bodies carry passwords: they are parsed for Action and UserName only, and never logged.
"""

import io
import random
import re
import socket
import threading
import time
from collections import Counter
from typing import Any, Callable, Iterable, Optional
from urllib.parse import parse_qs

from . import policy
from .errors import StartResponse, iam_error
from .settings import Settings

WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]

# The signing scope names the service: Credential=AKID/20261122/us-east-1/iam/aws4_request.
_SCOPE = re.compile(r"Credential=[^/,\s]+/[^/]+/[^/]+/([^/]+)/aws4_request")

_FAULT_NAMES = {
    "throttle": "Throttling",
    "drop": "Dropped",
    "500": "ServiceFailure",
    "503": "ServiceUnavailable",
}
_SERVER_ERRORS = {
    "500": (500, "ServiceFailure", "The request processing has failed because of an unknown "
            "error, exception or failure."),
    "503": (503, "ServiceUnavailable", "Service Unavailable"),
}


class Realism:
    """The switches, counters and clocks shared by every request thread (one lock guards them)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        # Not cleared by reset: calls in flight during a reset still end, and count themselves out.
        self._in_flight = 0
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self.settings = Settings()
            self._rng = random.Random(self.settings.seed)
            self._burst: tuple[Optional[str], int] = (None, 0)
            self._calls: Counter[str] = Counter()
            self._faults: Counter[str] = Counter()
            self._users_created: dict[str, float] = {}
            self._profiles_created: dict[str, float] = {}

    def configure(self, patch: Any) -> Settings:
        """Merges a partial JSON object into the settings (ValueError if invalid); reseeds."""
        with self._lock:
            self.settings = self.settings.merged(patch)
            self._rng = random.Random(self.settings.seed)
            self._burst = (None, 0)
            return self.settings

    def counts(self) -> dict[str, Any]:
        with self._lock:
            return {"calls": dict(self._calls), "faults": dict(self._faults), "inFlight": self._in_flight}

    def install_policy_check(self) -> None:
        policy.install(lambda: self.settings.enforcePasswordPolicy)

    def wrap(self, app: WsgiApp) -> WsgiApp:
        def middleware(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
            call = _iam_call(environ)
            if call is None:
                return app(environ, start_response)
            with self._lock:
                self._in_flight += 1
            try:
                return self._handle(app, environ, start_response, *call)
            finally:
                with self._lock:
                    self._in_flight -= 1

        return middleware

    def _handle(
        self,
        app: WsgiApp,
        environ: dict[str, Any],
        start_response: StartResponse,
        action: str,
        user_name: str,
    ) -> Iterable[bytes]:
        key = user_name.lower()
        with self._lock:
            self._calls[action] += 1
            settings = self.settings
            targeted = settings.faultActions is None or action in settings.faultActions
            fault = self._draw_fault(settings) if targeted else None
            if targeted and settings.latencyMs > 0:
                self._faults["Latency"] += 1
            now = time.monotonic()
            propagating = (
                action == "CreateLoginProfile"
                and now - self._users_created.get(key, -1e18) < settings.userPropagationSeconds
            )
            settling = (
                action in ("UpdateLoginProfile", "DeleteLoginProfile")
                and now - self._profiles_created.get(key, -1e18) < settings.profileSettleSeconds
            )
            if fault is None and (propagating or settling):
                self._faults["NoSuchEntity" if propagating else "EntityTemporarilyUnmodifiable"] += 1

        if targeted and settings.latencyMs > 0:
            time.sleep(settings.latencyMs / 1000)
        if action in settings.deniedActions:
            with self._lock:
                self._faults["AccessDenied"] += 1
            return iam_error(
                start_response,
                403,
                "AccessDenied",
                f"User: arn:aws:iam::123456789012:user/emulator is not authorized to perform: "
                f"iam:{action} on resource: *",
            )
        if fault == "drop":
            _drop(environ)
        if fault == "throttle":
            return iam_error(start_response, 400, "Throttling", "Rate exceeded")
        if fault in _SERVER_ERRORS:
            return iam_error(start_response, *_SERVER_ERRORS[fault])
        if propagating:
            return iam_error(
                start_response, 404, "NoSuchEntity", f"The user with name {user_name} cannot be found."
            )
        if settling:
            return iam_error(
                start_response,
                409,
                "EntityTemporarilyUnmodifiable",
                f"Login Profile for User {user_name} cannot be modified while login profile is "
                "being created.",
            )

        status: list[str] = []

        def recording_start_response(code: str, headers: Any, *rest: Any) -> Any:
            status.append(code)
            return start_response(code, headers, *rest)

        body = app(environ, recording_start_response)
        if status and status[-1].startswith("200"):
            self._record_success(action, key)
        return body

    def _draw_fault(self, settings: Settings) -> Optional[str]:
        """Called under the lock, once per targeted call, so the sequence follows the seed."""
        kind, left = self._burst
        if kind is None or left <= 0:
            if settings.faultRate <= 0 or not settings.faultKinds:
                return None
            if self._rng.random() >= settings.faultRate:
                return None
            kind = self._rng.choice(settings.faultKinds)
            if kind == "5xx":
                kind = self._rng.choice(("500", "503"))
            left = settings.faultBurst
        self._burst = (kind, left - 1)
        self._faults[_FAULT_NAMES[kind]] += 1
        return kind

    def _record_success(self, action: str, key: str) -> None:
        with self._lock:
            now = time.monotonic()
            if action == "CreateUser":
                self._users_created[key] = now
            elif action == "DeleteUser":
                self._users_created.pop(key, None)
            elif action == "CreateLoginProfile":
                self._profiles_created[key] = now
            elif action == "DeleteLoginProfile":
                self._profiles_created.pop(key, None)


def _iam_call(environ: dict[str, Any]) -> Optional[tuple[str, str]]:
    """(Action, UserName) of a request signed for IAM, else None. Puts the body back for moto."""
    scope = _SCOPE.search(environ.get("HTTP_AUTHORIZATION", ""))
    if not scope or scope.group(1) != "iam":
        return None
    stream = environ["wsgi.input"]
    if environ.get("wsgi.input_terminated"):
        body = stream.read()
    else:
        body = stream.read(int(environ.get("CONTENT_LENGTH") or 0))
    environ["wsgi.input"] = io.BytesIO(body)
    environ["CONTENT_LENGTH"] = str(len(body))
    params = parse_qs(environ.get("QUERY_STRING", ""))
    if environ.get("CONTENT_TYPE", "").startswith("application/x-www-form-urlencoded"):
        params.update(parse_qs(body.decode("utf-8", "replace")))
    action = params.get("Action", [""])[0]
    if not action:
        return None
    return action, params.get("UserName", [""])[0]


def _drop(environ: dict[str, Any]) -> None:
    """Closes the connection without a response.

    Werkzeug's dev server hands the WSGI app its socket as ``werkzeug.socket``. Shutting it down
    sends the client a FIN before any byte of a response, and the ConnectionError that follows is
    one werkzeug treats as "client went away": it writes nothing and logs nothing. Clients see what
    a crashed server or a load balancer cutting the connection looks like: Node's http reports
    ECONNRESET "socket hang up", botocore a ConnectionClosedError; the SDKs retry both.
    """
    sock = environ.get("werkzeug.socket")
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
    raise ConnectionAbortedError("emulator: connection dropped by fault injection")
