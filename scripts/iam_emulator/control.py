"""The control API, under ``/_emulator/`` on the emulator's own port (never counted as IAM calls).

    POST /_emulator/reset   moto's state (moto's own reset, which also drops the credential report
                            snapshot, and every S3 bucket and object), counters, settings back to
                            defaults (IAM's clock too: clockOffsetSeconds 0), and every account's
                            CloudTrail events (the event history, see events.py); then makes the
                            state bucket pulumi-state again, empty (see s3.py)
    GET  /_emulator/calls   {"calls": {"CreateLoginProfile": 2, "AssumeRole": 1, "LookupEvents": 1,
                            "PutObject": 4, …}, "faults": {"Throttling": 3, …}}: IAM, STS,
                            CloudTrail LookupEvents and S3 calls (by S3 operation) in all
                            accounts; ?accountId=123456789012 counts that account's alone
    GET  /_emulator/config  the settings (see settings.py)
    POST /_emulator/config  merge a partial JSON object into them; answers the result
    POST /_emulator/sign-in {"userName": …, "password": …, "accountId"?: …}: whether that
                            password opens the user's console, as a console sign-in would tell,
                            checked in this order:
                            {"signedIn": false, "reason": "no-profile"}: no such user (names match
                              in any case, as IAM's do), or the user has no login profile;
                            {"signedIn": false, "reason": "wrong-password"}: not the user's
                              password;
                            {"signedIn": false, "reason": "expired", "hardExpiry": true|false}: the
                              password is right but the account policy's MaxPasswordAge days have
                              passed since it was last set (see expiry.py), on IAM's clock;
                              hardExpiry is the policy's HardExpiry: false, AWS lets the user
                              choose a new password at this sign-in; true, only an administrator
                              can reset it (UpdateLoginProfile with a Password);
                            {"signedIn": true}: it opens the console. Only this one is a use: it
                              is the user's password_last_used (on IAM's clock), as a console
                              sign-in is in AWS (GetUser and ListUsers then answer it as
                              PasswordLastUsed; a use within five minutes after the recorded one is
                              not recorded).
                            The password is compared, never stored, logged or answered.
                            ``accountId`` (12 digits) picks the account; 123456789012 by default

Answers are JSON; a bad request is a 400 ``{"error": "…"}`` naming what is wrong. Every answer on
the port, these included, carries IAM's clock in its ``Date`` header (see clock.py).
"""

import hmac
import json
import re
from datetime import timedelta
from typing import Any, Callable, Iterable
from urllib.parse import parse_qs

from moto.core import DEFAULT_ACCOUNT_ID
from moto.iam.models import iam_backends
from moto.moto_api._internal.models import moto_api_backend

from . import expiry, s3
from .clock import utcnow
from .errors import StartResponse
from .realism import Realism

PREFIX = "/_emulator/"
ACCOUNT_ID = re.compile(r"\d{12}")
MAX_BODY = 64 * 1024
# IAM User Guide, credential report, password_last_used: "When a password is used more than once
# in a 5-minute span, only the first use is recorded in this field."
SIGN_IN_RECORD_SPAN = timedelta(minutes=5)


def control_app(realism: Realism) -> Callable[[dict[str, Any], StartResponse], Iterable[bytes]]:
    def app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        method, path = environ["REQUEST_METHOD"], environ.get("PATH_INFO", "").rstrip("/")
        route = (method, path)
        if route == ("POST", "/_emulator/reset"):
            moto_api_backend.reset()
            realism.reset()
            s3.create_state_bucket()
            return _json(start_response, 200, {"reset": True})
        if route == ("GET", "/_emulator/calls"):
            query = parse_qs(environ.get("QUERY_STRING", ""))
            account = query.get("accountId", [None])[0]
            if account is not None and not ACCOUNT_ID.fullmatch(account):
                return _json(start_response, 400, {"error": "accountId must be 12 digits"})
            return _json(start_response, 200, realism.counts(account))
        if route == ("GET", "/_emulator/config"):
            return _json(start_response, 200, realism.settings.to_json())
        if route == ("POST", "/_emulator/config"):
            try:
                patch = json.loads(_body(environ) or b"{}")
                settings = realism.configure(patch)
            except ValueError as error:
                return _json(start_response, 400, {"error": str(error)})
            return _json(start_response, 200, settings.to_json())
        if route == ("POST", "/_emulator/sign-in"):
            try:
                answer = _sign_in(json.loads(_body(environ) or b"{}"))
            except ValueError as error:
                return _json(start_response, 400, {"error": str(error)})
            return _json(start_response, 200, answer)
        known = "POST reset, GET calls, GET config, POST config, POST sign-in"
        return _json(start_response, 404, {"error": f"no control call {method} {path} ({known})"})

    return app


def _sign_in(request: Any) -> dict[str, Any]:
    """A console sign-in of ``userName`` with ``password``: an answer the module's docstring lists."""
    if not isinstance(request, dict):
        raise ValueError("the body must be a JSON object")
    user_name, password = request.get("userName"), request.get("password")
    if not isinstance(user_name, str) or not isinstance(password, str):
        raise ValueError("sign-in needs userName and password, both strings")
    account = request.get("accountId", DEFAULT_ACCOUNT_ID)
    if not isinstance(account, str) or not ACCOUNT_ID.fullmatch(account):
        raise ValueError("accountId must be 12 digits")
    backend = iam_backends[account]["global"]
    # IAM user names are unique case-insensitively, and sign-in accepts any case.
    user = next((u for u in backend.users.values() if u.name.lower() == user_name.lower()), None)
    stored = getattr(user, "password", None)
    if user is None or not stored:
        return {"signedIn": False, "reason": "no-profile"}
    if not hmac.compare_digest(stored.encode(), password.encode()):
        return {"signedIn": False, "reason": "wrong-password"}
    now, policy = utcnow(), backend.account_password_policy
    # IAM User Guide, password policy: "If a password expires, the IAM user can't sign in to the AWS
    # Management Console"; the user must set a new one first (or, with HardExpiry, an
    # administrator must). Such a sign-in opens nothing, so it is no use of the password.
    if expiry.is_expired(user, policy, now):
        return {"signedIn": False, "reason": "expired", "hardExpiry": expiry.hard_expiry(policy)}
    # moto keeps the attribute for this ("part of the public API", moto issue 5927) and shows it
    # as the credential report's password_last_used; AWS sets it on a console sign-in. A use
    # within five minutes after the recorded one is not recorded; one before it (IAM's clock was
    # moved back) is, so the field follows the clock rather than sticking in its future.
    last = user.password_last_used
    if last is None or not timedelta(0) <= now - last < SIGN_IN_RECORD_SPAN:
        user.password_last_used = now
    return {"signedIn": True}


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
