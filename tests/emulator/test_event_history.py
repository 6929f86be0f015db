"""CloudTrail's event history (LookupEvents), ChangePassword and PasswordLastUsed, as AWS has them.

moto 5.2.5 has none of the three as AWS does (no lookup_events, no change_password; it renders
PasswordLastUsed, but only the emulator's sign-in ever sets it). These are the emulator's own
additions, there with ``--raw`` too; two ChangePassword tests also lean on fidelity corrections (the
report's password_last_changed, CreateLoginProfile's PasswordResetRequired) and fail on raw moto.
LookupEvents allows two calls a second per account: ``lookup`` waits out a throttled call; the
quota's own test, and those that expect an error, call directly.
"""

import csv
import io
import json
import sys
import time
import urllib.request
from datetime import datetime, timedelta, timezone

import pytest
from botocore.exceptions import ClientError

from conftest import REPO, error_of

STRONG = "Corr3ct-Horse-Battery"
SECRET = "Sec0nd-Principal-Passw0rd!"
NEW_PASSWORD = "N3w-Horse-Battery!"
DEFAULT_ACCOUNT = "123456789012"
MEMBER = "111111111111"
# The caller moto's GetCallerIdentity names for a key it never issued, such as "testing".
UNKNOWN_CALLER_ARN = f"arn:aws:sts::{DEFAULT_ACCOUNT}:user/moto"
ADMIN = {"AccessKeyId": "emulator-admin", "SecretAccessKey": "emulator-admin"}
NOT_AN_IAM_USER = "The request was rejected because the type of user for the transaction was incorrect."


def lookup(client, **params):
    """LookupEvents, waiting out the quota (two a second) when it throttles."""
    for _ in range(20):
        try:
            return client.lookup_events(**params)
        except ClientError as error:
            if error.response["Error"]["Code"] != "ThrottlingException":
                raise
            time.sleep(0.5)
    raise AssertionError("LookupEvents throttled for ten seconds")


# Every event of the ``scenario`` fixture, newest first.
ALL = ["UpdateLoginProfile", "CreateAccessKey", "CreateUser", "CreateLoginProfile", "CreateUser"]


def names(answer):
    return [event["EventName"] for event in answer["Events"]]


def by_attribute(key, value):
    return {"LookupAttributes": [{"AttributeKey": key, "AttributeValue": value}]}


def user_with_key(iam, name):
    """Creates an IAM user with an access key; answers the key as client credentials."""
    iam.create_user(UserName=name)
    key = iam.create_access_key(UserName=name)["AccessKey"]
    return {"AccessKeyId": key["AccessKeyId"], "SecretAccessKey": key["SecretAccessKey"]}


def assumed_role(emulator, account):
    return emulator.client(service="sts").assume_role(
        RoleArn=f"arn:aws:iam::{account}:role/BreakGlassAdmin", RoleSessionName="tests"
    )["Credentials"]


def now():
    return datetime.now(timezone.utc)


@pytest.fixture
def cloudtrail(emulator):
    return emulator.client(service="cloudtrail")


@pytest.fixture
def scenario(emulator, iam):
    """An admin (the key "testing") makes alice with a console password and bob with an access key;
    bob, a second principal, then resets alice's password. Answers bob's credentials."""
    iam.create_user(UserName="alice")
    iam.create_login_profile(UserName="alice", Password=STRONG)
    bob = user_with_key(iam, "bob")
    emulator.client(credentials=bob).update_login_profile(
        UserName="alice", Password=SECRET, PasswordResetRequired=True
    )
    return bob


# Events


def test_an_update_by_a_second_principal_names_that_principal_and_holds_no_password(
    emulator, iam, cloudtrail, scenario
):
    bob = scenario
    before = now().replace(microsecond=0)

    answer = lookup(cloudtrail, **by_attribute("EventName", "UpdateLoginProfile"))

    [event] = answer["Events"]
    caller = emulator.client(service="sts", credentials=bob).get_caller_identity()
    user = iam.get_user(UserName="bob")["User"]
    record = json.loads(event.pop("CloudTrailEvent"))
    event_time = event.pop("EventTime")
    assert event == {
        "EventId": record["eventID"],
        "EventName": "UpdateLoginProfile",
        "ReadOnly": "false",
        "AccessKeyId": bob["AccessKeyId"],
        "EventSource": "iam.amazonaws.com",
        "Username": "bob",
        "Resources": [{"ResourceType": "AWS::IAM::User", "ResourceName": "alice"}],
    }
    assert before - timedelta(seconds=5) <= event_time <= now()
    assert len(record.pop("requestID")) > 0
    assert record.pop("userAgent").startswith("Boto3/")
    assert record == {
        "eventVersion": "1.09",
        "userIdentity": {
            "type": "IAMUser",
            "principalId": user["UserId"],
            "arn": f"arn:aws:iam::{DEFAULT_ACCOUNT}:user/bob",
            "accountId": DEFAULT_ACCOUNT,
            "accessKeyId": bob["AccessKeyId"],
            "userName": "bob",
        },
        "eventTime": event_time.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "eventSource": "iam.amazonaws.com",
        "eventName": "UpdateLoginProfile",
        "awsRegion": "us-east-1",
        "sourceIPAddress": "127.0.0.1",
        "requestParameters": {"userName": "alice", "passwordResetRequired": True},
        "responseElements": None,
        "eventID": event["EventId"],
        "readOnly": False,
        "eventType": "AwsApiCall",
        "managementEvent": True,
        "recipientAccountId": DEFAULT_ACCOUNT,
        "eventCategory": "Management",
    }
    assert record["userIdentity"]["arn"] == caller["Arn"]
    assert SECRET not in json.dumps(answer, default=str)
    assert STRONG not in json.dumps(answer, default=str)


def test_every_successful_write_call_is_an_event_newest_first_and_reads_and_failures_are_not(
    iam, cloudtrail, scenario
):
    iam.get_user(UserName="alice")
    iam.list_users()
    iam.get_login_profile(UserName="alice")
    with pytest.raises(ClientError):
        iam.create_user(UserName="alice")

    answer = lookup(cloudtrail)

    assert names(answer) == ALL
    assert [event["Username"] for event in answer["Events"]] == ["bob", "moto", "moto", "moto", "moto"]
    assert "NextToken" not in answer


def test_an_assumed_roles_event_names_its_session_and_its_role_in_the_roles_account(emulator):
    credentials = assumed_role(emulator, MEMBER)
    emulator.client(credentials=credentials).create_user(UserName="breakglass")
    member_trail = emulator.client(service="cloudtrail", credentials=credentials)

    [event] = lookup(member_trail)["Events"]

    record = json.loads(event["CloudTrailEvent"])
    caller = emulator.client(service="sts", credentials=credentials).get_caller_identity()
    identity = record["userIdentity"]
    assert (event["Username"], event["AccessKeyId"]) == ("tests", credentials["AccessKeyId"])
    assert identity["type"] == "AssumedRole"
    assert identity["arn"] == caller["Arn"] == f"arn:aws:sts::{MEMBER}:assumed-role/BreakGlassAdmin/tests"
    assert identity["accountId"] == MEMBER
    assert identity["accessKeyId"] == credentials["AccessKeyId"]
    issuer = identity["sessionContext"]["sessionIssuer"]
    assert issuer["type"] == "Role"
    assert issuer["arn"] == f"arn:aws:iam::{MEMBER}:role/BreakGlassAdmin"
    assert issuer["userName"] == "BreakGlassAdmin"
    assert issuer["accountId"] == MEMBER
    assert record["recipientAccountId"] == MEMBER
    # Each account has its own history: the default account saw none of it.
    assert lookup(emulator.client(service="cloudtrail"))["Events"] == []


# Lookup attributes


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("EventName", "CreateUser", ["CreateUser", "CreateUser"]),
        ("ReadOnly", "false", ALL),
        ("ReadOnly", "true", []),
        ("Username", "bob", ["UpdateLoginProfile"]),
        ("Username", "moto", ["CreateAccessKey", "CreateUser", "CreateLoginProfile", "CreateUser"]),
        ("ResourceType", "AWS::IAM::User", ALL),
        ("ResourceType", "AWS::IAM::Role", []),
        ("ResourceName", "alice", ["UpdateLoginProfile", "CreateLoginProfile", "CreateUser"]),
        ("ResourceName", "bob", ["CreateAccessKey", "CreateUser"]),
        ("EventSource", "iam.amazonaws.com", ALL),
        ("EventSource", "sts.amazonaws.com", []),
        ("AccessKeyId", "testing", ["CreateAccessKey", "CreateUser", "CreateLoginProfile", "CreateUser"]),
    ],
)
def test_each_lookup_attribute_filters(cloudtrail, scenario, key, value, expected):
    assert names(lookup(cloudtrail, **by_attribute(key, value))) == expected


def test_event_id_and_the_second_principals_access_key_find_its_event(cloudtrail, scenario):
    bob = scenario
    all_events = lookup(cloudtrail)["Events"]
    create_alice = all_events[-1]

    by_id = lookup(cloudtrail, **by_attribute("EventId", create_alice["EventId"]))["Events"]
    by_key = lookup(cloudtrail, **by_attribute("AccessKeyId", bob["AccessKeyId"]))

    assert by_id == [create_alice]
    assert names(by_key) == ["UpdateLoginProfile"]


@pytest.mark.parametrize(
    ("attributes", "message"),
    [
        (
            [
                {"AttributeKey": "EventName", "AttributeValue": "CreateUser"},
                {"AttributeKey": "Username", "AttributeValue": "bob"},
            ],
            "You can specify at most one lookup attribute.",
        ),
        (
            [{"AttributeKey": "UserName", "AttributeValue": "bob"}],
            'The lookup attribute key "UserName" is not valid: it must be one of EventId, '
            "EventName, ReadOnly, Username, ResourceType, ResourceName, EventSource, AccessKeyId.",
        ),
        (
            [{"AttributeKey": "Username", "AttributeValue": ""}],
            "The lookup attribute value must be a string of 1 to 2000 characters.",
        ),
    ],
)
def test_lookup_attributes_are_checked(cloudtrail, attributes, message):
    with pytest.raises(ClientError) as excinfo:
        cloudtrail.lookup_events(LookupAttributes=attributes)

    assert error_of(excinfo) == (400, "InvalidLookupAttributesException", message)


# Paging, time range, Region, category


def test_pages_of_max_results_follow_next_token_to_the_end(cloudtrail, scenario):
    everything = lookup(cloudtrail)["Events"]

    first = lookup(cloudtrail, MaxResults=2)
    second = lookup(cloudtrail, MaxResults=2, NextToken=first["NextToken"])
    # MaxResults may change between pages; the other parameters may not.
    last = lookup(cloudtrail, MaxResults=3, NextToken=second["NextToken"])

    assert len(everything) == 5
    assert first["Events"] == everything[:2]
    assert second["Events"] == everything[2:4]
    assert last["Events"] == everything[4:]
    assert "NextToken" not in last


def test_pages_keep_the_lookup_attribute(cloudtrail, scenario):
    attribute = by_attribute("Username", "moto")

    first = lookup(cloudtrail, MaxResults=3, **attribute)
    rest = lookup(cloudtrail, MaxResults=3, NextToken=first["NextToken"], **attribute)

    assert names(first) == ["CreateAccessKey", "CreateUser", "CreateLoginProfile"]
    assert names(rest) == ["CreateUser"]
    assert "NextToken" not in rest


@pytest.mark.parametrize(
    "other",
    [
        by_attribute("Username", "bob"),
        {},
        {"StartTime": datetime(2020, 1, 1, tzinfo=timezone.utc)},
    ],
)
def test_a_next_token_is_refused_with_other_parameters(cloudtrail, scenario, other):
    token = lookup(cloudtrail, MaxResults=1, **by_attribute("Username", "moto"))["NextToken"]

    with pytest.raises(ClientError) as excinfo:
        cloudtrail.lookup_events(NextToken=token, **other)

    assert error_of(excinfo) == (
        400,
        "InvalidNextTokenException",
        "The NextToken is not valid, or was issued for a request with other parameters.",
    )


@pytest.mark.parametrize("token", ["not-a-token", "eyJwIjogMX0=", ""])
def test_a_made_up_next_token_is_refused(cloudtrail, token):
    with pytest.raises(ClientError) as excinfo:
        cloudtrail.lookup_events(NextToken=token)

    assert error_of(excinfo)[:2] == (400, "InvalidNextTokenException")


@pytest.mark.parametrize("max_results", [0, 51, -1])
def test_max_results_is_one_to_fifty(cloudtrail, max_results):
    with pytest.raises(ClientError) as excinfo:
        cloudtrail.lookup_events(MaxResults=max_results)

    assert error_of(excinfo) == (
        400,
        "InvalidMaxResultsException",
        "MaxResults must be an integer from 1 to 50.",
    )


def test_at_most_fifty_events_a_page_by_default(iam, cloudtrail):
    for i in range(51):
        iam.create_user(UserName=f"user{i}")

    first = lookup(cloudtrail)
    rest = lookup(cloudtrail, NextToken=first["NextToken"])

    assert len(first["Events"]) == 50
    assert [event["Resources"][0]["ResourceName"] for event in rest["Events"]] == ["user0"]


def test_start_and_end_time_bound_the_events(iam, cloudtrail):
    iam.create_user(UserName="early")
    time.sleep(1.1)
    middle = now().replace(microsecond=0)
    time.sleep(1.1)
    iam.create_user(UserName="late")

    later = lookup(cloudtrail, StartTime=middle)
    earlier = lookup(cloudtrail, EndTime=middle)
    both = lookup(cloudtrail, StartTime=middle - timedelta(seconds=60), EndTime=now())

    assert [e["Resources"][0]["ResourceName"] for e in later["Events"]] == ["late"]
    assert [e["Resources"][0]["ResourceName"] for e in earlier["Events"]] == ["early"]
    assert [e["Resources"][0]["ResourceName"] for e in both["Events"]] == ["late", "early"]


def test_a_start_time_after_the_end_time_is_refused(cloudtrail):
    end = now()

    with pytest.raises(ClientError) as excinfo:
        cloudtrail.lookup_events(StartTime=end + timedelta(seconds=1), EndTime=end)

    assert error_of(excinfo) == (
        400,
        "InvalidTimeRangeException",
        "The start time must not be after the end time.",
    )


def test_iam_events_are_in_us_east_1s_history_only(emulator, iam, cloudtrail):
    iam.create_user(UserName="alice")

    elsewhere = lookup(emulator.client(service="cloudtrail", region="eu-west-1"))

    assert elsewhere["Events"] == []
    assert names(lookup(cloudtrail)) == ["CreateUser"]


def test_insight_events_are_none_and_other_categories_are_refused(iam, cloudtrail):
    iam.create_user(UserName="alice")

    assert lookup(cloudtrail, EventCategory="insight")["Events"] == []
    with pytest.raises(ClientError) as excinfo:
        cloudtrail.lookup_events(EventCategory="management")
    assert error_of(excinfo) == (400, "InvalidEventCategoryException", "EventCategory must be insight.")


def test_the_javascript_sdks_short_target_is_lookup_events_too(emulator, iam):
    """The JavaScript SDK v3 sends X-Amz-Target "CloudTrail_20131101.LookupEvents" (botocore the
    full prefix); moto would answer it with an HTML page."""
    iam.create_user(UserName="alice")
    request = urllib.request.Request(
        f"{emulator.endpoint}/",
        data=b'{"MaxResults": 5}',
        method="POST",
        headers={
            "Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Target": "CloudTrail_20131101.LookupEvents",
            "Authorization": "AWS4-HMAC-SHA256 Credential=testing/20261206/us-east-1/cloudtrail/"
            "aws4_request, SignedHeaders=host, Signature=0",
        },
    )

    with urllib.request.urlopen(request, timeout=10) as response:
        content_type, answer = response.headers["Content-Type"], json.loads(response.read())

    assert content_type == "application/x-amz-json-1.1"
    assert names(answer) == ["CreateUser"]


def test_events_older_than_ninety_days_are_never_returned():
    """The history itself, at a clock 89 and 91 days on (the server's clock cannot be moved)."""
    sys.path.insert(0, str(REPO / "scripts"))
    from iam_emulator.events import EventHistory, IamCall

    history = EventHistory()
    history.record(
        IamCall(DEFAULT_ACCOUNT, "CreateUser", "testing", "alice", None, "127.0.0.1", "test", "r-1")
    )
    day = 24 * 3600

    def days_on(days):
        return history.lookup({}, DEFAULT_ACCOUNT, "us-east-1", 0, time.time() + days * day)

    assert names(days_on(89)) == ["CreateUser"]
    assert days_on(91) == {"Events": []}


# Delivery delay, quota, counts, access, faults, reset


def test_event_delay_seconds_hides_an_event_until_it_is_delivered(emulator, iam, cloudtrail):
    emulator.configure(eventDelaySeconds=1.5)
    iam.create_user(UserName="alice")

    hidden = lookup(cloudtrail)
    time.sleep(1.6)
    delivered = lookup(cloudtrail)

    assert hidden["Events"] == []
    assert names(delivered) == ["CreateUser"]


@pytest.mark.parametrize("value", [-1, "5", True])
def test_event_delay_seconds_is_a_number_at_least_zero(emulator, value):
    status, body = emulator.control("POST", "config", {"eventDelaySeconds": value})

    assert (status, body) == (400, {"error": "eventDelaySeconds must be a number >= 0"})


def test_the_third_lookup_in_a_second_is_throttled_per_account_and_counted(emulator, cloudtrail):
    member_trail = emulator.client(service="cloudtrail", credentials=assumed_role(emulator, MEMBER))
    cloudtrail.lookup_events()
    cloudtrail.lookup_events()

    with pytest.raises(ClientError) as excinfo:
        cloudtrail.lookup_events()

    assert error_of(excinfo) == (400, "ThrottlingException", "Rate exceeded")
    # Another account has a quota of its own.
    member_trail.lookup_events()
    calls = emulator.calls()
    assert (calls["calls"]["LookupEvents"], calls["faults"]) == (4, {"Throttling": 1})
    assert emulator.control("GET", f"calls?accountId={DEFAULT_ACCOUNT}")[1] == {
        "calls": {"AssumeRole": 1, "LookupEvents": 3},
        "faults": {"Throttling": 1},
        "inFlight": 0,
    }
    assert emulator.control("GET", f"calls?accountId={MEMBER}")[1] == {
        "calls": {"LookupEvents": 1},
        "faults": {},
        "inFlight": 0,
    }
    time.sleep(0.6)
    cloudtrail.lookup_events()


def test_denied_actions_deny_lookup_events_as_cloudtrail_does_naming_the_caller(emulator, iam, cloudtrail):
    bob = user_with_key(iam, "bob")
    emulator.configure(deniedActions=["LookupEvents"])

    with pytest.raises(ClientError) as as_unknown:
        cloudtrail.lookup_events()
    with pytest.raises(ClientError) as as_bob:
        emulator.client(service="cloudtrail", credentials=bob).lookup_events()

    assert error_of(as_unknown) == (
        400,
        "AccessDeniedException",
        f"User: {UNKNOWN_CALLER_ARN} is not authorized to perform: cloudtrail:LookupEvents because "
        "no identity-based policy allows the cloudtrail:LookupEvents action",
    )
    assert error_of(as_bob)[2].startswith(
        f"User: arn:aws:iam::{DEFAULT_ACCOUNT}:user/bob is not authorized to perform: "
        "cloudtrail:LookupEvents"
    )
    assert emulator.calls()["faults"] == {"AccessDenied": 2}


def test_allowed_actions_allow_lookup_events_only_when_they_name_it(emulator, cloudtrail):
    emulator.configure(allowedActions=["iam:GetUser"])
    with pytest.raises(ClientError) as excinfo:
        cloudtrail.lookup_events()
    assert error_of(excinfo)[:2] == (400, "AccessDeniedException")
    # The administrator is never restricted.
    emulator.client(service="cloudtrail", credentials=ADMIN).lookup_events()

    emulator.configure(allowedActions=["cloudtrail:LookupEvents"])
    time.sleep(0.5)

    assert cloudtrail.lookup_events()["Events"] == []
    assert emulator.calls()["faults"] == {"AccessDenied": 1}


def test_faults_reach_lookup_events_only_when_fault_actions_names_it(emulator, iam, cloudtrail):
    emulator.configure(faultRate=1, faultKinds=["throttle"])
    cloudtrail.lookup_events()
    with pytest.raises(ClientError):
        iam.list_users()

    emulator.configure(faultActions=["LookupEvents"])
    with pytest.raises(ClientError) as throttled:
        cloudtrail.lookup_events()
    emulator.configure(faultKinds=["5xx"], seed=1)
    with pytest.raises(ClientError) as failed:
        cloudtrail.lookup_events()

    assert error_of(throttled) == (400, "ThrottlingException", "Rate exceeded")
    assert error_of(failed)[:2] in ((500, "InternalFailure"), (503, "ServiceUnavailable"))
    iam.list_users()


def test_reset_forgets_every_event(emulator, iam, cloudtrail):
    iam.create_user(UserName="alice")
    assert names(lookup(cloudtrail)) == ["CreateUser"]

    emulator.control("POST", "reset")

    assert lookup(cloudtrail)["Events"] == []


# ChangePassword


@pytest.fixture
def alice(iam):
    """alice, with a console password she must reset and an access key of her own."""
    credentials = user_with_key(iam, "alice")
    iam.create_login_profile(UserName="alice", Password=STRONG, PasswordResetRequired=True)
    return credentials


def sign_in(emulator, password):
    return emulator.control("POST", "sign-in", {"userName": "alice", "password": password})[1]["signedIn"]


def report_row(iam):
    iam.generate_credential_report()
    rows = csv.DictReader(io.StringIO(iam.get_credential_report()["Content"].decode()))
    return next(row for row in rows if row["user"] == "alice")


def test_change_password_sets_the_password_and_clears_the_pending_reset(emulator, iam, alice):
    emulator.client(credentials=alice).change_password(OldPassword=STRONG, NewPassword=NEW_PASSWORD)

    assert sign_in(emulator, NEW_PASSWORD) is True
    assert sign_in(emulator, STRONG) is False
    assert iam.get_login_profile(UserName="alice")["LoginProfile"]["PasswordResetRequired"] is False


def test_change_password_is_an_event_of_that_user_without_any_password(emulator, cloudtrail, alice):
    emulator.client(credentials=alice).change_password(OldPassword=STRONG, NewPassword=NEW_PASSWORD)

    answer = lookup(cloudtrail, **by_attribute("EventName", "ChangePassword"))

    [event] = answer["Events"]
    record = json.loads(event["CloudTrailEvent"])
    assert event["Username"] == "alice"
    assert event["AccessKeyId"] == alice["AccessKeyId"]
    assert event["Resources"] == []
    assert record["userIdentity"]["arn"] == f"arn:aws:iam::{DEFAULT_ACCOUNT}:user/alice"
    assert record["userIdentity"]["type"] == "IAMUser"
    assert record["requestParameters"] is None
    assert STRONG not in json.dumps(answer, default=str)
    assert NEW_PASSWORD not in json.dumps(answer, default=str)


def test_change_password_moves_password_last_changed(emulator, iam, alice):
    emulator.configure(credentialReportMaxAgeSeconds=0)
    set_at = report_row(iam)["password_last_changed"]
    time.sleep(1.1)
    before = now().replace(microsecond=0)

    emulator.client(credentials=alice).change_password(OldPassword=STRONG, NewPassword=NEW_PASSWORD)

    changed = datetime.fromisoformat(report_row(iam)["password_last_changed"])
    assert changed > datetime.fromisoformat(set_at)
    assert before <= changed <= now()


def test_a_wrong_old_password_is_invalid_user_type_and_changes_nothing(emulator, iam, cloudtrail, alice):
    with pytest.raises(ClientError) as excinfo:
        emulator.client(credentials=alice).change_password(
            OldPassword=STRONG + "x", NewPassword=NEW_PASSWORD
        )

    assert error_of(excinfo) == (400, "InvalidUserType", "The old password is incorrect.")
    assert sign_in(emulator, STRONG) is True
    assert iam.get_login_profile(UserName="alice")["LoginProfile"]["PasswordResetRequired"] is True
    assert names(lookup(cloudtrail, **by_attribute("EventName", "ChangePassword"))) == []


def test_a_caller_that_is_not_an_iam_user_is_invalid_user_type(emulator, iam, alice):
    role_iam = emulator.client(credentials=assumed_role(emulator, DEFAULT_ACCOUNT))

    with pytest.raises(ClientError) as unknown_key:
        iam.change_password(OldPassword=STRONG, NewPassword=NEW_PASSWORD)
    with pytest.raises(ClientError) as role:
        role_iam.change_password(OldPassword=STRONG, NewPassword=NEW_PASSWORD)

    assert error_of(unknown_key) == (400, "InvalidUserType", NOT_AN_IAM_USER)
    assert error_of(role) == (400, "InvalidUserType", NOT_AN_IAM_USER)
    assert sign_in(emulator, STRONG) is True


def test_a_user_without_a_console_password_has_no_login_profile_to_change(emulator, iam):
    bob = user_with_key(iam, "bob")

    with pytest.raises(ClientError) as excinfo:
        emulator.client(credentials=bob).change_password(OldPassword=STRONG, NewPassword=NEW_PASSWORD)

    assert error_of(excinfo) == (404, "NoSuchEntity", "Login Profile for User bob cannot be found.")


def test_the_new_password_must_meet_the_policy_when_it_is_enforced(emulator, alice):
    emulator.configure(enforcePasswordPolicy=True)

    with pytest.raises(ClientError) as excinfo:
        emulator.client(credentials=alice).change_password(OldPassword=STRONG, NewPassword="short")

    assert error_of(excinfo) == (
        400,
        "PasswordPolicyViolation",
        "Password should have a minimum length of 8",
    )
    assert sign_in(emulator, STRONG) is True


def test_a_missing_new_password_is_a_validation_error_naming_the_member(emulator, alice):
    with pytest.raises(ClientError) as excinfo:
        emulator.client(credentials=alice).change_password(OldPassword=STRONG)

    assert error_of(excinfo) == (
        400,
        "ValidationError",
        "1 validation error detected: Value null at 'newPassword' failed to satisfy constraint: "
        "Member must not be null",
    )


# PasswordLastUsed


def test_get_user_and_list_users_answer_password_last_used_only_after_a_sign_in(emulator, iam):
    iam.create_user(UserName="alice")
    iam.create_login_profile(UserName="alice", Password=STRONG)
    assert "PasswordLastUsed" not in iam.get_user(UserName="alice")["User"]
    assert "PasswordLastUsed" not in iam.list_users()["Users"][0]
    before = now().replace(microsecond=0)

    assert sign_in(emulator, STRONG) is True

    used = iam.get_user(UserName="alice")["User"]["PasswordLastUsed"]
    assert before <= used <= now()
    assert iam.list_users()["Users"][0]["PasswordLastUsed"] == used
