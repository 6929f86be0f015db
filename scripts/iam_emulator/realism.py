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
  a dropped connection (closed with no response at all, before moto acts), or, when ``faultKinds``
  names it, a lost response (``lost``: moto carries the call out, then the connection closes with
  no response, as when a response is lost after IAM acted).
- ``faultBurst``: a drawn fault repeats for this many consecutive targeted calls (default 1), as
  an overloaded or restarting endpoint fails every request for a moment, not one in N at random.
- ``latencyMs``: added before every IAM call of ``faultActions``.
- ``deniedActions``: these IAM, STS, CloudTrail or S3 actions (``AssumeRole``, ``LookupEvents``,
  ``PutObject`` among them) answer AccessDenied, as AWS answers a principal whose policies do not
  allow the action: IAM and STS with 403 "User: arn:aws:iam::123456789012:user/emulator is not
  authorized to perform: iam:Action on resource: *", CloudTrail with its own awsJson error, 400
  AccessDeniedException "User: <the caller's ARN, as GetCallerIdentity names it> is not authorized
  to perform: cloudtrail:LookupEvents because no identity-based policy allows the
  cloudtrail:LookupEvents action", S3 with its XML error, 403 AccessDenied "Access Denied".
- ``allowedActions``: when a list (``null``, the default, allows everything), every IAM, STS or
  CloudTrail action it does not name (as a policy names it: ``iam:GetLoginProfile``,
  ``sts:AssumeRole``, ``cloudtrail:LookupEvents``) answers AccessDenied, as above: the emulator
  then plays a principal whose policy allows exactly those actions. Never restricted:
  ``sts:GetCallerIdentity``, which AWS answers whatever the policy; the administrator, whose access
  key id is ``emulator-admin`` (the tests arrange users and profiles with it, as an admin would);
  and S3, the state backend's, whose principal is not the provider's.
- ``rateLimitPerSecond``/``rateLimitBurst``: a token bucket per account over all of its IAM calls
  (AWS counts IAM request quotas per account); a call that finds it empty answers Throttling
  (400, "Rate exceeded"), as IAM does, counted under faults as "Throttling". 0 (the default) is off.
- ``enforcePasswordPolicy``: see ``policy.py`` (it needs moto's stored policy, so it lives there).
- ``clockOffsetSeconds``: see ``clock.py`` (it shifts moto's own clock, so it lives there). The
  windows and buckets here measure real durations, on the monotonic clock, and ignore it.

CloudTrail's LookupEvents (signed for service ``cloudtrail``, ``X-Amz-Target`` …LookupEvents) is
answered here from the event history (``events``), never by moto: every successful IAM write call
is recorded there as it is answered, and ``eventDelaySeconds`` delays its delivery. LookupEvents has
its own quota, always on as in AWS: a token bucket of two a second (burst two) per account and
Region; a call that finds it empty answers CloudTrail's 400 ThrottlingException "Rate exceeded",
counted under faults as "Throttling". Its injected errors are CloudTrail's too (ThrottlingException,
InternalFailure 500, ServiceUnavailable 503), counted under the same names as IAM's.

S3 (signed for service ``s3``) is moto's, path-style, on the same port, with the state bucket of
Pulumi's DIY backend (``s3``). Its calls are counted by operation, as S3's API reference names them
(ListObjectsV2, GetObject, PutObject, CopyObject, DeleteObject, DeleteObjects, …), named from the
method, path, query and ``x-amz-copy-source``: S3 bodies (whole state files) are never read here,
only read away unparsed before an error the emulator writes itself. Its injected errors are S3's
own XML (``<Error>``, application/xml): throttling is 503 SlowDown "Please reduce your request
rate.", 500 InternalError "We encountered an internal error. Please try again.", 503
ServiceUnavailable "Service is unable to handle request.", counted under IAM's names
("Throttling", "ServiceFailure", "ServiceUnavailable"); ``drop`` and ``lost`` (moto stores the
object, then the connection closes) work as for IAM. ``rateLimitPerSecond`` does not reach S3.

Everything is kept per account: moto serves STS on the same port and gives an assumed role's
credentials the role ARN's account, so IAM calls made with them reach that account (the account of
a request is moto's: the ``x-moto-account-id`` header, else the access key's account, else
123456789012). Faults and latency target IAM calls (and STS, CloudTrail or S3 calls only when
``faultActions`` names them).

It also counts the IAM, STS, LookupEvents and S3 calls received, by Action (in all and per account),
the faults it injected, by error code ("Dropped" for connections, "Latency" for delayed calls), and
the calls still being answered (``inFlight``), so that a test can wait until calls a killed client
left behind have landed. Request bodies carry passwords: they are parsed for Action, UserName and
PasswordResetRequired only, and never logged.
"""

import io
import random
import re
import socket
import threading
import time
import uuid
from collections import Counter
from typing import Any, Callable, Iterable, Optional
from urllib.parse import parse_qs

from moto.iam.models import get_account_id_from

from . import events, policy, s3
from .errors import StartResponse, iam_error, json_error, s3_error
from .settings import Settings

WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]

# The signing scope names the access key, the Region and the service:
# Credential=AKID/20261122/us-east-1/iam/aws4_request. The Region may be empty: the AWS SDK for Go
# v2 signs so when it has none (a DIY backend URL without region=), and moto accepts it.
_SCOPE = re.compile(r"Credential=([^/,\s]+)/[^/]+/([^/]*)/([^/]+)/aws4_request")
# The services this middleware sees (CloudTrail's LookupEvents alone); the rest goes to moto untouched.
_SERVICES = ("iam", "sts", "cloudtrail", "s3")

_FAULT_NAMES = {
    "throttle": "Throttling",
    "drop": "Dropped",
    "lost": "Lost",
    "500": "ServiceFailure",
    "503": "ServiceUnavailable",
}
_SERVER_ERRORS = {
    "500": (500, "ServiceFailure", "The request processing has failed because of an unknown "
            "error, exception or failure."),
    "503": (503, "ServiceUnavailable", "Service Unavailable"),
}
# CloudTrail's names for the same errors (awsJson 1.1): its API reference's common errors.
_JSON_CODES = {"Throttling": "ThrottlingException", "ServiceFailure": "InternalFailure"}
# S3's (REST XML): its API reference's error codes, with the messages S3 answers.
_S3_ERRORS = {
    "Throttling": (503, "SlowDown", "Please reduce your request rate."),
    "ServiceFailure": (500, "InternalError", "We encountered an internal error. Please try again."),
    "ServiceUnavailable": (503, "ServiceUnavailable", "Service is unable to handle request."),
}


class Realism:
    """The switches, counters and clocks shared by every request thread (one lock guards them)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        # Not cleared by reset: calls in flight during a reset still end, and count themselves out.
        self._in_flight = 0
        self.events = events.EventHistory()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self.settings = Settings()
            self._rng = random.Random(self.settings.seed)
            self._burst: tuple[Optional[str], int] = (None, 0)
            self._calls: Counter[str] = Counter()
            self._faults: Counter[str] = Counter()
            self._account_calls: dict[str, Counter[str]] = {}
            self._account_faults: dict[str, Counter[str]] = {}
            # Keyed by (account, lower-case user name): IAM user names are per account.
            self._users_created: dict[tuple[str, str], float] = {}
            self._profiles_created: dict[tuple[str, str], float] = {}
            self._buckets: dict[str, "_TokenBucket"] = {}
            # LookupEvents' quota, by (account, Region): AWS's, not a setting, so configure keeps it.
            self._lookup_buckets: dict[tuple[str, str], "_TokenBucket"] = {}
        self.events.reset()

    def configure(self, patch: Any) -> Settings:
        """Merges a partial JSON object into the settings (ValueError if invalid); reseeds."""
        with self._lock:
            self.settings = self.settings.merged(patch)
            self._rng = random.Random(self.settings.seed)
            self._burst = (None, 0)
            self._buckets = {}
            return self.settings

    def counts(self, account: Optional[str] = None) -> dict[str, Any]:
        """Calls and faults in all accounts, or in ``account`` only; and the calls in flight."""
        with self._lock:
            if account is None:
                calls, faults = self._calls, self._faults
            else:
                calls = self._account_calls.get(account, Counter())
                faults = self._account_faults.get(account, Counter())
            return {"calls": dict(calls), "faults": dict(faults), "inFlight": self._in_flight}

    def install_policy_check(self) -> None:
        policy.install(lambda: self.settings.enforcePasswordPolicy)

    def wrap(self, app: WsgiApp) -> WsgiApp:
        def middleware(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
            call = _aws_call(environ)
            if call is None:
                return app(environ, start_response)
            with self._lock:
                self._in_flight += 1
            try:
                return self._handle(app, environ, start_response, call)
            finally:
                with self._lock:
                    self._in_flight -= 1

        return middleware

    def _fault(self, account: str, name: str) -> None:
        """Counts an injected fault, in all and for its account (under the lock)."""
        self._faults[name] += 1
        self._account_faults.setdefault(account, Counter())[name] += 1

    def _handle(
        self,
        app: WsgiApp,
        environ: dict[str, Any],
        start_response: StartResponse,
        call: "_Call",
    ) -> Iterable[bytes]:
        action, account = call.action, call.account
        key = (account, call.user_name.lower())
        with self._lock:
            self._calls[action] += 1
            self._account_calls.setdefault(account, Counter())[action] += 1
            settings = self.settings
            targeted = (
                action in settings.faultActions
                if settings.faultActions is not None
                else call.service == "iam"
            )
            fault = self._draw_fault(settings, account) if targeted else None
            if targeted and settings.latencyMs > 0:
                self._fault(account, "Latency")
            now = time.monotonic()
            throttled = fault is None and not self._within_quota(call, settings, now)
            if throttled:
                self._fault(account, "Throttling")
            propagating = (
                action == "CreateLoginProfile"
                and now - self._users_created.get(key, -1e18) < settings.userPropagationSeconds
            )
            settling = (
                action in ("UpdateLoginProfile", "DeleteLoginProfile")
                and now - self._profiles_created.get(key, -1e18) < settings.profileSettleSeconds
            )
            if fault is None and not throttled and (propagating or settling):
                self._fault(account, "NoSuchEntity" if propagating else "EntityTemporarilyUnmodifiable")

        if targeted and settings.latencyMs > 0:
            time.sleep(settings.latencyMs / 1000)
        if action in settings.deniedActions or not _allowed(call, settings):
            with self._lock:
                self._fault(account, "AccessDenied")
            return _access_denied(environ, start_response, call)
        if fault == "drop":
            _drop(environ)
        if fault == "throttle" or throttled:
            return _error(environ, start_response, call, 400, "Throttling", "Rate exceeded")
        if fault in _SERVER_ERRORS:
            return _error(environ, start_response, call, *_SERVER_ERRORS[fault])
        if propagating:
            return iam_error(
                start_response,
                404,
                "NoSuchEntity",
                f"The user with name {call.user_name} cannot be found.",
            )
        if settling:
            return iam_error(
                start_response,
                409,
                "EntityTemporarilyUnmodifiable",
                f"Login Profile for User {call.user_name} cannot be modified while login profile is "
                "being created.",
            )

        target = self._lookup_app(call, settings) if call.service == "cloudtrail" else app
        answered: list[tuple[str, Any]] = []

        if fault == "lost":
            # moto acts in full (its whole answer is read and thrown away), then nothing is sent.
            for _ in target(environ, lambda code, headers, *_rest: answered.append((code, headers))):
                pass
            self._record_success(call, key, answered)
            _drop(environ)

        def recording_start_response(code: str, headers: Any, *rest: Any) -> Any:
            answered.append((code, headers))
            return start_response(code, headers, *rest)

        body = target(environ, recording_start_response)
        self._record_success(call, key, answered)
        return body

    def _lookup_app(self, call: "_Call", settings: Settings) -> WsgiApp:
        """LookupEvents, answered from the event history (moto has none)."""

        def lookup(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
            return self.events.serve(
                environ, start_response, call.account, call.region, settings.eventDelaySeconds
            )

        return lookup

    def _within_quota(self, call: "_Call", settings: Settings, now: float) -> bool:
        """Takes a token for the call when its service has a quota here (under the lock)."""
        if call.service == "iam" and settings.rateLimitPerSecond > 0:
            return self._bucket(call.account, settings).take(now)
        if call.service == "cloudtrail":
            bucket = self._lookup_buckets.get((call.account, call.region))
            if bucket is None:
                bucket = _TokenBucket(events.LOOKUPS_PER_SECOND, events.LOOKUPS_PER_SECOND)
                self._lookup_buckets[(call.account, call.region)] = bucket
            return bucket.take(now)
        return True

    def _bucket(self, account: str, settings: Settings) -> "_TokenBucket":
        bucket = self._buckets.get(account)
        if bucket is None:
            bucket = _TokenBucket(settings.rateLimitPerSecond, settings.rateLimitBurst)
            self._buckets[account] = bucket
        return bucket

    def _draw_fault(self, settings: Settings, account: str) -> Optional[str]:
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
        self._fault(account, _FAULT_NAMES[kind])
        return kind

    def _record_success(
        self, call: "_Call", key: tuple[str, str], answered: list[tuple[str, Any]]
    ) -> None:
        """After a successful IAM call: its event, and the clocks of propagation and settling."""
        if not answered or not answered[-1][0].startswith("200") or call.service != "iam":
            return
        action = call.action
        if events.is_recorded(action):
            headers = {name.lower(): value for name, value in answered[-1][1]}
            self.events.record(
                events.IamCall(
                    account=call.account,
                    action=action,
                    access_key=call.access_key,
                    user_name=call.user_name,
                    password_reset_required=call.password_reset_required,
                    source_ip=call.source_ip,
                    user_agent=call.user_agent,
                    request_id=headers.get("x-amzn-requestid") or str(uuid.uuid4()),
                )
            )
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


class _TokenBucket:
    """``rate`` tokens a second, at most ``burst`` kept; a call takes one or is throttled."""

    def __init__(self, rate: float, burst: int) -> None:
        self._rate, self._burst = rate, burst
        self._tokens, self._at = float(burst), time.monotonic()

    def take(self, now: float) -> bool:
        self._tokens = min(self._burst, self._tokens + (now - self._at) * self._rate)
        self._at = now
        if self._tokens >= 1:
            self._tokens -= 1
            return True
        return False


class _Call:
    """One IAM, STS, LookupEvents or S3 request: its service, Action, account, access key id and
    signing Region; for IAM, the UserName (or "") and PasswordResetRequired (or None) it names; and
    where it came from (the client's address and User-Agent). Never a password."""

    def __init__(
        self,
        service: str,
        action: str,
        account: str,
        access_key: str,
        region: str,
        params: dict[str, list[str]],
        environ: dict[str, Any],
    ) -> None:
        self.service, self.action, self.account = service, action, account
        self.access_key, self.region = access_key, region
        self.user_name = params.get("UserName", [""])[0]
        reset = params.get("PasswordResetRequired", [None])[0]
        self.password_reset_required = None if reset is None else reset.lower() == "true"
        self.source_ip = environ.get("REMOTE_ADDR", "")
        self.user_agent = environ.get("HTTP_USER_AGENT", "")


# The administrator's access key id: ``allowedActions`` never restricts it.
ADMIN_ACCESS_KEY = "emulator-admin"


def _allowed(call: _Call, settings: Settings) -> bool:
    """Whether ``allowedActions`` lets the caller make ``call`` (see the module's docstring)."""
    if settings.allowedActions is None or call.access_key == ADMIN_ACCESS_KEY or call.service == "s3":
        return True
    if (call.service, call.action) == ("sts", "GetCallerIdentity"):
        return True
    return f"{call.service}:{call.action}" in settings.allowedActions


def _access_denied(
    environ: dict[str, Any], start_response: StartResponse, call: _Call
) -> Iterable[bytes]:
    """AWS's answer to a caller whose policies do not allow the call, as each service writes it."""
    if call.service == "s3":
        return _s3_answer(environ, s3_error(start_response, 403, "AccessDenied", "Access Denied"))
    if call.service == "cloudtrail":
        arn = events.caller(call.account, call.access_key, call.region).arn
        action = f"cloudtrail:{call.action}"
        return json_error(
            start_response,
            400,
            "AccessDeniedException",
            f"User: {arn} is not authorized to perform: {action} because no identity-based "
            f"policy allows the {action} action",
        )
    return iam_error(
        start_response,
        403,
        "AccessDenied",
        f"User: arn:aws:iam::{call.account}:user/emulator is not authorized to perform: "
        f"{call.service}:{call.action} on resource: *",
    )


def _error(
    environ: dict[str, Any],
    start_response: StartResponse,
    call: _Call,
    status: int,
    code: str,
    message: str,
) -> Iterable[bytes]:
    """An injected error, in the protocol and with the code of the call's service."""
    if call.service == "s3":
        return _s3_answer(environ, s3_error(start_response, *_S3_ERRORS[code]))
    if call.service == "cloudtrail":
        return json_error(start_response, status, _JSON_CODES.get(code, code), message)
    return iam_error(start_response, status, code, message)


def _s3_answer(environ: dict[str, Any], body: Iterable[bytes]) -> Iterable[bytes]:
    """An S3 error the emulator wrote: the request's body read away first (the client may still be
    sending a state file), and no body for HEAD, as S3 answers it."""
    s3.discard_body(environ)
    return [] if environ.get("REQUEST_METHOD") == "HEAD" else body


def _aws_call(environ: dict[str, Any]) -> Optional[_Call]:
    """The IAM, STS, LookupEvents or S3 call a request makes, else None. Puts the body back for
    moto (an S3 body is never read here)."""
    scope = _SCOPE.search(environ.get("HTTP_AUTHORIZATION", ""))
    if not scope or scope.group(3) not in _SERVICES:
        return None
    access_key, region, service = scope.groups()
    account = environ.get("HTTP_X_MOTO_ACCOUNT_ID") or get_account_id_from(access_key)
    if service == "s3":
        return _Call(service, s3.operation(environ), account, access_key, region, {}, environ)
    # awsJson: CloudTrail names the operation in X-Amz-Target; its others are moto's, untouched.
    if service == "cloudtrail" and environ.get("HTTP_X_AMZ_TARGET") not in events.LOOKUP_EVENTS_TARGETS:
        return None
    stream = environ["wsgi.input"]
    if environ.get("wsgi.input_terminated"):
        body = stream.read()
    else:
        body = stream.read(int(environ.get("CONTENT_LENGTH") or 0))
    environ["wsgi.input"] = io.BytesIO(body)
    environ["CONTENT_LENGTH"] = str(len(body))
    if service == "cloudtrail":
        return _Call(service, events.LOOKUP_EVENTS, account, access_key, region, {}, environ)
    params = parse_qs(environ.get("QUERY_STRING", ""))
    if environ.get("CONTENT_TYPE", "").startswith("application/x-www-form-urlencoded"):
        params.update(parse_qs(body.decode("utf-8", "replace")))
    action = params.get("Action", [""])[0]
    if not action:
        return None
    return _Call(service, action, account, access_key, region, params, environ)


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
