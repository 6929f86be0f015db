"""IAM's clock: the real time shifted by the setting ``clockOffsetSeconds`` (0 by default).

Why: what a test of time-bound behaviour needs cannot be waited out. A password expires after
MaxPasswordAge days (1 to 1095), a credential report is kept for four hours, CloudTrail's event
history holds 90 days. Moving IAM's clock on (or back) lets a test reach those moments at once.

Everything IAM reports reads this clock, so that no two answers disagree about the time:

- moto's own ``utcnow`` (``moto.core.utils``), which stamps every CreateDate, STS credentials'
  Expiration and the rest: ``install`` replaces it in ``moto.core.utils`` and in every module that
  imported it by name (``from moto.core.utils import utcnow`` binds the function, so patching
  ``moto.core.utils`` alone would miss ``moto.iam.models``); modules moto imports later read the
  patched attribute.
- the HTTP ``Date`` header of every answer on the emulator's port (IAM, STS, CloudTrail and the
  control API: ``server``'s request handler), which is where a client such as the TypeScript
  provider reads IAM's clock;
- the emulator's own stamps: the profile's CreateDate and password_last_changed (``fidelity``,
  ``passwords``), the credential report's GeneratedTime and its four-hour renewal (``fidelity``),
  sign-ins (``control``), and CloudTrail event times and the 90-day window (``events``).

Durations that are the emulator's own (propagation and settling windows, rate limits, latency)
run on the real monotonic clock: moving IAM's clock does not end them.

The offset may change at any time, either way. Moving the clock back is allowed and crashes
nothing: what was stamped "later" simply lies in IAM's future (a kept credential report is then
younger than four hours; an event recorded later is not delivered until the clock passes it).
"""

import sys
import time
from datetime import datetime, timezone
from typing import Callable

import moto.core.utils

_ORIGINAL_UTCNOW = moto.core.utils.utcnow
_offset: Callable[[], float] = lambda: 0


def install(offset: Callable[[], float]) -> None:
    """Makes moto's ``utcnow`` this clock; ``offset()`` is the setting clockOffsetSeconds, read on
    every reading of the clock."""
    global _offset
    _offset = offset
    moto.core.utils.utcnow = utcnow
    for module in list(sys.modules.values()):
        if getattr(module, "utcnow", None) is _ORIGINAL_UTCNOW:
            setattr(module, "utcnow", utcnow)


def timestamp() -> float:
    """IAM's time, in seconds since the epoch."""
    return time.time() + _offset()


def utcnow() -> datetime:
    """IAM's time as moto keeps times: a naive datetime in UTC (what moto's own utcnow returns)."""
    return datetime.fromtimestamp(timestamp(), timezone.utc).replace(tzinfo=None)
