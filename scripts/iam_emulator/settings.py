"""The realism switches, as the control API reads and writes them (JSON names, camelCase).

All are off by default, so that a test sees moto (plus ``fidelity``) unless it asks for more.
``credentialReportMaxAgeSeconds`` is no switch but AWS's own figure: a credential report younger
than this is kept by GenerateCredentialReport (default 14400, IAM's four hours; 0 makes every
Generate take a fresh report). ``fidelity`` reads it; under ``--raw`` it is accepted but unused.
``rateLimitPerSecond`` (0, off, by default) and ``rateLimitBurst`` (10 by default) shape the token
bucket each account's IAM calls draw from (see ``realism``).
``eventDelaySeconds`` (0 by default) is how long after its event time an IAM call's event appears
in CloudTrail's LookupEvents (see ``events``): CloudTrail delivers within minutes, not at once.
``faultActions`` (``null`` by default: every IAM action) names the actions that get faults and
latency: IAM, STS and CloudTrail actions by their API names (``AssumeRole``, ``LookupEvents``), S3
operations by theirs (``PutObject``, ``CopyObject``, ``GetObject``, ``ListObjectsV2``; see
``s3.operation``); STS, CloudTrail and S3 calls get them only when named. ``deniedActions`` names
actions the same way; ``allowedActions`` names IAM, STS and CloudTrail actions only, and never
restricts S3 (see ``realism``).
``clockOffsetSeconds`` (0 by default, negative or positive) shifts IAM's clock by that many seconds
for everything IAM reports (see ``clock``), so a test can reach a password's expiry, a report's
four hours or CloudTrail's 90 days without waiting; it is bounded to a century either way, so that
every shifted date is one Python (and the SDKs) can hold.
A POST merges a partial object into the current settings after checking every key and type, so a
typo is a 400 naming the key rather than a switch silently left off.
"""

import math
import re
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Optional

# "lost" is opt-in: the call is carried out, then the connection closes with no response.
FAULT_KINDS = ("throttle", "5xx", "drop", "lost")
DEFAULT_FAULT_KINDS = ("throttle", "5xx", "drop")
# A century (of 365-day years): far beyond any IAM period (MaxPasswordAge is at most 1095 days),
# and near enough that every shifted date stays within the years datetime and the SDKs can hold.
MAX_CLOCK_OFFSET_SECONDS = 100 * 365 * 24 * 3600


@dataclass(frozen=True)
class Settings:
    enforcePasswordPolicy: bool = False
    userPropagationSeconds: float = 0
    profileSettleSeconds: float = 0
    faultRate: float = 0
    faultKinds: tuple[str, ...] = DEFAULT_FAULT_KINDS
    faultBurst: int = 1
    latencyMs: float = 0
    seed: int = 0
    faultActions: Optional[tuple[str, ...]] = field(default=None)
    credentialReportMaxAgeSeconds: float = 14400
    deniedActions: tuple[str, ...] = ()
    allowedActions: Optional[tuple[str, ...]] = field(default=None)
    rateLimitPerSecond: float = 0
    rateLimitBurst: int = 10
    eventDelaySeconds: float = 0
    clockOffsetSeconds: float = 0

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["faultKinds"] = list(self.faultKinds)
        out["faultActions"] = None if self.faultActions is None else list(self.faultActions)
        out["deniedActions"] = list(self.deniedActions)
        out["allowedActions"] = None if self.allowedActions is None else list(self.allowedActions)
        return out

    def merged(self, patch: Any) -> "Settings":
        """A copy with ``patch`` (a decoded JSON object) applied; ValueError names what is wrong."""
        if not isinstance(patch, dict):
            raise ValueError("the body must be a JSON object")
        changes: dict[str, Any] = {}
        for key, value in patch.items():
            if key not in _CHECKS:
                raise ValueError(f"unknown setting '{key}' (known: {', '.join(_CHECKS)})")
            changes[key] = _CHECKS[key](key, value)
        return replace(self, **changes)


def _bool(key: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"{key} must be true or false")
    return value


def _number(key: str, value: Any, upper: Optional[float] = None) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise ValueError(f"{key} must be a number >= 0")
    if upper is not None and value > upper:
        raise ValueError(f"{key} must be between 0 and {upper}")
    return value


def _offset(key: str, value: Any) -> float:
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or not math.isfinite(value)
        or abs(value) > MAX_CLOCK_OFFSET_SECONDS
    ):
        raise ValueError(
            f"{key} must be a number of seconds between -{MAX_CLOCK_OFFSET_SECONDS} and "
            f"{MAX_CLOCK_OFFSET_SECONDS}"
        )
    return value


def _integer(key: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{key} must be an integer")
    return value


def _positive_integer(key: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{key} must be an integer >= 1")
    return value


def _kinds(key: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or any(kind not in FAULT_KINDS for kind in value):
        raise ValueError(f"{key} must be a list of: {', '.join(FAULT_KINDS)}")
    return tuple(value)


def _actions(key: str, value: Any) -> Optional[tuple[str, ...]]:
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(a, str) and a for a in value):
        raise ValueError(f"{key} must be a list of action names, or null for all IAM actions")
    return tuple(value)


def _policy_actions(key: str, value: Any) -> Optional[tuple[str, ...]]:
    if value is None:
        return None
    if not isinstance(value, list) or not all(
        isinstance(a, str) and re.fullmatch(r"(iam|sts|cloudtrail):[A-Za-z]+", a) for a in value
    ):
        raise ValueError(
            f"{key} must be a list of actions as a policy names them (iam:GetLoginProfile, "
            "sts:AssumeRole, cloudtrail:LookupEvents), or null for all"
        )
    return tuple(value)


def _action_list(key: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(a, str) and a for a in value):
        raise ValueError(f"{key} must be a list of IAM, STS, CloudTrail or S3 action names")
    return tuple(value)


_CHECKS = {
    "enforcePasswordPolicy": _bool,
    "userPropagationSeconds": _number,
    "profileSettleSeconds": _number,
    "faultRate": lambda key, value: _number(key, value, upper=1),
    "faultKinds": _kinds,
    "faultBurst": _positive_integer,
    "latencyMs": _number,
    "seed": _integer,
    "faultActions": _actions,
    "deniedActions": _action_list,
    "allowedActions": _policy_actions,
    "credentialReportMaxAgeSeconds": _number,
    "rateLimitPerSecond": _number,
    "rateLimitBurst": _positive_integer,
    "eventDelaySeconds": _number,
    "clockOffsetSeconds": _offset,
}
