"""The event history: CloudTrail's LookupEvents over the IAM calls the emulator answered.

A tool that must tell who last set a console password, and with which credentials, asks
CloudTrail's event history; moto 5.2.5 implements no ``lookup_events`` and records no event. So the
emulator keeps its own history, per account, as CloudTrail would hold it:

- Every successful IAM write call (every action but Get*/List*; ChangePassword included) is one
  event, stamped when IAM answered (``realism`` records it: it sees every call and its outcome).
- The caller is named exactly as moto's STS GetCallerIdentity names the access key that signed the
  call (``caller``): an IAM user's key is that user (``IAMUser``), an assumed role's temporary key
  is the assumed-role ARN with its role as session issuer (``AssumedRole``), any other key is what
  moto answers for it (``arn:aws:sts::<account>:user/moto``). So an event's ``userIdentity.arn`` is
  what GetCallerIdentity says for the same key.
- The record (``CloudTrailEvent``) carries ``requestParameters`` ``userName`` and
  ``passwordResetRequired`` only, as CloudTrail records UpdateLoginProfile: never a password. The
  request body is not even seen here: ``realism`` hands over those two values alone.
- IAM is global, and its events are in us-east-1's event history (since November 2021) whatever
  Region the caller used: a lookup signed for another Region finds none.
- LookupEvents checks its parameters as CloudTrail documents them (one lookup attribute of eight
  keys, StartTime not after EndTime, MaxResults 1–50, a NextToken only with the parameters it was
  issued for, MaxResults aside), answers newest first, and never returns an event older than 90 days.
  The messages are the emulator's own wording; the codes are CloudTrail's.
- ``eventDelaySeconds``: an event appears that long after IAM answered, as CloudTrail delivers
  within minutes rather than at once.
- Event times, the 90 days and the delay are judged on IAM's clock (``clock``, shifted by
  ``clockOffsetSeconds``): an event recorded while the clock was moved on carries that time, and
  moving the clock 91 days on ages every event out of LookupEvents. An event stamped later than
  the clock now reads (the clock was moved back) is not delivered until the clock passes it.

The quota (two lookups a second, per account and Region), the call counts, injected faults and
AccessDenied are ``realism``'s, as for IAM's own calls.
"""

import base64
import binascii
import hashlib
import json
import threading
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Iterable, Optional

from moto.iam.models import iam_backends
from moto.sts.models import sts_backends
from moto.utilities.utils import get_partition

from . import clock
from .errors import StartResponse, json_answer, json_error

# The one CloudTrail operation the emulator answers, and its X-Amz-Target (awsJson 1.1) as the
# SDKs send it: botocore with the service model's full targetPrefix, the JavaScript SDK v3 with the
# Smithy service's name alone.
LOOKUP_EVENTS = "LookupEvents"
LOOKUP_EVENTS_TARGETS = (
    "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents",
    "CloudTrail_20131101.LookupEvents",
)
# CloudTrail User Guide, quotas: LookupEvents is "limited to two per second, per account, per Region".
LOOKUPS_PER_SECOND = 2
# Where IAM's events are kept, and the region their records name.
IAM_EVENTS_REGION = "us-east-1"
# LookupEvents: "You can look up events that occurred in a Region within the last 90 days."
RETENTION_SECONDS = 90 * 24 * 3600
MAX_RESULTS = 50
# LookupAttributeKey in CloudTrail's service model.
ATTRIBUTE_KEYS = (
    "EventId",
    "EventName",
    "ReadOnly",
    "Username",
    "ResourceType",
    "ResourceName",
    "EventSource",
    "AccessKeyId",
)
MAX_ATTRIBUTE_VALUE = 2000
READ_ONLY_PREFIXES = ("Get", "List")


def is_recorded(action: str) -> bool:
    """Whether a successful IAM call of ``action`` is an event here: IAM's write calls."""
    return not action.startswith(READ_ONLY_PREFIXES)


@dataclass(frozen=True)
class Caller:
    """Who signed a call: CloudTrail's ``userIdentity``, and the name LookupEvents shows as
    ``Username`` (an IAM user's name, an assumed role's session name)."""

    identity: dict[str, Any]
    name: str

    @property
    def arn(self) -> str:
        return str(self.identity["arn"])


def caller(account: str, access_key: str, region: str = IAM_EVENTS_REGION) -> Caller:
    """The caller behind ``access_key`` in ``account``, as moto's GetCallerIdentity answers it."""
    sts = sts_backends[account][get_partition(region)]
    principal_id, arn, _ = sts.get_caller_identity(access_key, region)
    identity: dict[str, Any] = {
        "type": "IAMUser",
        "principalId": principal_id,
        "arn": arn,
        "accountId": account,
        "accessKeyId": access_key,
    }
    role = sts.get_assumed_role_from_access_key(access_key)
    if role is not None:
        role_name = role.role_arn.split("/")[-1]
        identity["type"] = "AssumedRole"
        identity["sessionContext"] = {
            "sessionIssuer": {
                "type": "Role",
                "principalId": principal_id.split(":")[0],
                "arn": role.role_arn,
                "accountId": role.account_id,
                "userName": role_name,
            },
            "attributes": {"mfaAuthenticated": "false"},
        }
        return Caller(identity, role.session_name)
    user = iam_backends[account][get_partition(region)].get_user_from_access_key_id(access_key)
    # An IAM user's key is that user; moto names any other key user/moto, with no user behind it.
    name = user.name if user is not None else arn.rsplit("/", 1)[-1]
    identity["userName"] = name
    return Caller(identity, name)


class LookupFailure(Exception):
    """A LookupEvents request CloudTrail would refuse: its error code and a message."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


@dataclass(frozen=True)
class _Event:
    at: float  # when IAM answered (epoch seconds, to the microsecond)
    seq: int  # the order of recording, which breaks ties within a second
    item: dict[str, Any]  # the Event as LookupEvents answers it

    @property
    def key(self) -> tuple[int, int]:
        """Newest first is this key, descending; a NextToken holds the last key it returned."""
        return (int(self.item["EventTime"]), self.seq)


@dataclass(frozen=True)
class IamCall:
    """What an event records of a successful IAM call (never a password: none is passed here)."""

    account: str
    action: str
    access_key: str
    user_name: str
    password_reset_required: Optional[bool]
    source_ip: str
    user_agent: str
    request_id: str


class EventHistory:
    """Every account's events, newest last (one lock guards them)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self._events: dict[str, list[_Event]] = {}
            self._seq = 0

    def record(self, call: IamCall) -> None:
        """Records a successful IAM write call as its account's newest event."""
        who = caller(call.account, call.access_key)
        at = clock.timestamp()  # IAM's clock, shifted by clockOffsetSeconds
        event_time = int(at)
        event_id = str(uuid.uuid4())
        resources = (
            [{"ResourceType": "AWS::IAM::User", "ResourceName": call.user_name}]
            if call.user_name
            else []
        )
        item = {
            "EventId": event_id,
            "EventName": call.action,
            "ReadOnly": "false",
            "AccessKeyId": call.access_key,
            "EventTime": event_time,
            "EventSource": "iam.amazonaws.com",
            "Username": who.name,
            "Resources": resources,
            "CloudTrailEvent": json.dumps(_record(call, who, event_time, event_id)),
        }
        with self._lock:
            self._seq += 1
            self._events.setdefault(call.account, []).append(_Event(at, self._seq, item))

    def lookup(
        self, request: dict[str, Any], account: str, region: str, delay: float, now: float
    ) -> dict[str, Any]:
        """LookupEvents' answer to ``request`` (its decoded JSON) in ``account`` and ``region``
        at ``now``, with events delivered ``delay`` seconds after IAM answered."""
        matches = _filter(request.get("LookupAttributes"))
        start, end = _time_range(request.get("StartTime"), request.get("EndTime"))
        limit = _max_results(request.get("MaxResults"))
        insight = _event_category(request.get("EventCategory"))
        fingerprint = _fingerprint(account, region, request)
        after = _cursor(request.get("NextToken"), fingerprint)
        if region != IAM_EVENTS_REGION or insight:
            return {"Events": []}
        with self._lock:
            events = list(self._events.get(account, ()))
        found = sorted(
            (
                event
                for event in events
                if now - RETENTION_SECONDS <= event.at
                and event.at + delay <= now
                and (start is None or event.key[0] >= start)
                and (end is None or event.key[0] <= end)
                and (after is None or event.key < after)
                and matches(event.item)
            ),
            key=lambda event: event.key,
            reverse=True,
        )
        page = found[:limit]
        answer: dict[str, Any] = {"Events": [event.item for event in page]}
        if len(found) > limit:
            answer["NextToken"] = _token(fingerprint, page[-1].key)
        return answer

    def serve(
        self,
        environ: dict[str, Any],
        start_response: StartResponse,
        account: str,
        region: str,
        delay: float,
    ) -> Iterable[bytes]:
        """Answers a LookupEvents request (awsJson 1.1) of ``account``, signed for ``region``."""
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
            request = json.loads(environ["wsgi.input"].read(length) or b"{}")
        except ValueError:
            request = None
        if not isinstance(request, dict):
            return json_error(
                start_response, 400, "SerializationException", "The request body is not a JSON object."
            )
        try:
            answer = self.lookup(request, account, region, delay, clock.timestamp())
        except LookupFailure as failure:
            return json_error(start_response, 400, failure.code, failure.message)
        return json_answer(start_response, 200, answer)


def _record(call: IamCall, who: Caller, event_time: int, event_id: str) -> dict[str, Any]:
    """The CloudTrail record of the call, as ``CloudTrailEvent`` holds it (a management event)."""
    parameters: dict[str, Any] = {}
    if call.user_name:
        parameters["userName"] = call.user_name
    if call.password_reset_required is not None:
        parameters["passwordResetRequired"] = call.password_reset_required
    return {
        "eventVersion": "1.09",
        "userIdentity": who.identity,
        "eventTime": datetime.fromtimestamp(event_time, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "eventSource": "iam.amazonaws.com",
        "eventName": call.action,
        "awsRegion": IAM_EVENTS_REGION,
        "sourceIPAddress": call.source_ip,
        "userAgent": call.user_agent,
        "requestParameters": parameters or None,
        "responseElements": None,
        "requestID": call.request_id,
        "eventID": event_id,
        "readOnly": False,
        "eventType": "AwsApiCall",
        "managementEvent": True,
        "recipientAccountId": call.account,
        "eventCategory": "Management",
    }


def _filter(attributes: Any) -> Any:
    """The test an event must pass for ``LookupAttributes`` (at most one attribute)."""
    if attributes is None:
        attributes = []
    if not isinstance(attributes, list):
        raise LookupFailure("InvalidLookupAttributesException", "LookupAttributes must be a list.")
    if len(attributes) > 1:
        raise LookupFailure(
            "InvalidLookupAttributesException", "You can specify at most one lookup attribute."
        )
    if not attributes:
        return lambda item: True
    attribute = attributes[0]
    key = attribute.get("AttributeKey") if isinstance(attribute, dict) else None
    value = attribute.get("AttributeValue") if isinstance(attribute, dict) else None
    if key not in ATTRIBUTE_KEYS:
        raise LookupFailure(
            "InvalidLookupAttributesException",
            f"The lookup attribute key {json.dumps(key)} is not valid: it must be one of "
            f"{', '.join(ATTRIBUTE_KEYS)}.",
        )
    if not isinstance(value, str) or not 1 <= len(value) <= MAX_ATTRIBUTE_VALUE:
        raise LookupFailure(
            "InvalidLookupAttributesException",
            f"The lookup attribute value must be a string of 1 to {MAX_ATTRIBUTE_VALUE} characters.",
        )
    if key in ("ResourceType", "ResourceName"):
        return lambda item: any(resource[key] == value for resource in item["Resources"])
    return lambda item: item[key] == value


def _time_range(start: Any, end: Any) -> tuple[Optional[float], Optional[float]]:
    for name, value in (("StartTime", start), ("EndTime", end)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
            raise LookupFailure("InvalidTimeRangeException", f"{name} must be a timestamp.")
    if start is not None and end is not None and start > end:
        raise LookupFailure(
            "InvalidTimeRangeException", "The start time must not be after the end time."
        )
    return start, end


def _max_results(value: Any) -> int:
    if value is None:
        return MAX_RESULTS
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_RESULTS:
        raise LookupFailure(
            "InvalidMaxResultsException", f"MaxResults must be an integer from 1 to {MAX_RESULTS}."
        )
    return value


def _event_category(value: Any) -> bool:
    """Whether Insights events are asked for (there are none); management events otherwise."""
    if value is None:
        return False
    if value != "insight":
        raise LookupFailure("InvalidEventCategoryException", "EventCategory must be insight.")
    return True


def _fingerprint(account: str, region: str, request: dict[str, Any]) -> str:
    """What a NextToken is bound to: the account, the Region and every parameter but MaxResults
    (a paginator may ask for fewer on its last page) and the token itself."""
    bound = {
        key: request.get(key)
        for key in ("LookupAttributes", "StartTime", "EndTime", "EventCategory")
    }
    text = json.dumps([account, region, bound], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _token(fingerprint: str, key: tuple[int, int]) -> str:
    text = json.dumps({"p": fingerprint, "t": key[0], "s": key[1]})
    return base64.urlsafe_b64encode(text.encode()).decode()


def _cursor(token: Any, fingerprint: str) -> Optional[tuple[int, int]]:
    """The key of the last event the previous page returned, from its NextToken."""
    if token is None:
        return None
    try:
        decoded = json.loads(base64.urlsafe_b64decode(str(token).encode()))
    except (ValueError, binascii.Error):
        decoded = None
    if (
        isinstance(decoded, dict)
        and decoded.get("p") == fingerprint
        and isinstance(decoded.get("t"), int)
        and isinstance(decoded.get("s"), int)
    ):
        return (decoded["t"], decoded["s"])
    raise LookupFailure(
        "InvalidNextTokenException",
        "The NextToken is not valid, or was issued for a request with other parameters.",
    )
