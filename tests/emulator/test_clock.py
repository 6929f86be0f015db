"""IAM's clock (the setting clockOffsetSeconds): everything IAM reports reads the shifted time.

A stamp made during a call lies between the shifted time just before it and just after it; IAM's
stamps have second precision, so the earlier bound is cut to the second. The clock is the
emulator's own addition, there with ``--raw`` too; the three tests of the credential report lean on
fidelity's report corrections (raw moto rebuilds the report on every Get, with a fixed
GeneratedTime) and fail on raw moto.
"""

import csv
import io
import json
import time
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

import pytest
from botocore.exceptions import ClientError

PASSWORD = "Corr3ct-Horse-Battery"
DAY = 24 * 3600
STARTED = {
    "State": "STARTED",
    "Description": "No report exists. Starting a new report generation task",
}
# A century of 365-day years, the setting's bound either way.
MAX_OFFSET = 3153600000
OFFSET_ERROR = (
    f"clockOffsetSeconds must be a number of seconds between -{MAX_OFFSET} and {MAX_OFFSET}"
)


def shifted(offset, cut=False):
    """IAM's time now, with the clock ``offset`` seconds on (aware, UTC); cut to the second."""
    at = datetime.now(timezone.utc) + timedelta(seconds=offset)
    return at.replace(microsecond=0) if cut else at


def date_header(response):
    return parsedate_to_datetime(response["ResponseMetadata"]["HTTPHeaders"]["date"])


def lookup(cloudtrail, **params):
    """LookupEvents, waiting out its quota (two a second) when it throttles."""
    for _ in range(20):
        try:
            return cloudtrail.lookup_events(**params)
        except ClientError as error:
            if error.response["Error"]["Code"] != "ThrottlingException":
                raise
            time.sleep(0.5)
    raise AssertionError("LookupEvents throttled for ten seconds")


def report(iam):
    """(GeneratedTime, {user name: row}) of GetCredentialReport."""
    answer = iam.get_credential_report()
    rows = csv.DictReader(io.StringIO(answer["Content"].decode()))
    return answer["GeneratedTime"], {row["user"]: row for row in rows}


def generate(iam):
    answer = iam.generate_credential_report()
    answer.pop("ResponseMetadata")
    return answer


def sign_in(emulator, user_name="alice", password=PASSWORD):
    return emulator.control("POST", "sign-in", {"userName": user_name, "password": password})[1]


def stamp(value):
    """A credential report timestamp ("2026-12-06T21:39:01+00:00") as an aware datetime."""
    return datetime.fromisoformat(value)


@pytest.fixture
def cloudtrail(emulator):
    return emulator.client(service="cloudtrail")


# The setting


def test_the_clock_offset_is_zero_by_default_takes_any_number_and_reset_restores_it(emulator):
    assert emulator.control("GET", "config")[1]["clockOffsetSeconds"] == 0

    assert emulator.control("POST", "config", {"clockOffsetSeconds": -86400})[1][
        "clockOffsetSeconds"
    ] == -86400
    assert emulator.control("POST", "config", {"clockOffsetSeconds": 0.5})[1][
        "clockOffsetSeconds"
    ] == 0.5
    assert emulator.control("POST", "config", {"clockOffsetSeconds": MAX_OFFSET})[1][
        "clockOffsetSeconds"
    ] == MAX_OFFSET

    emulator.control("POST", "reset")
    assert emulator.control("GET", "config")[1]["clockOffsetSeconds"] == 0


@pytest.mark.parametrize(
    "value",
    ["86400", True, None, [], MAX_OFFSET + 1, -MAX_OFFSET - 1, float("inf"), float("nan")],
    ids=["string", "bool", "null", "list", "over", "under", "infinity", "nan"],
)
def test_the_clock_offset_must_be_a_number_within_a_century(emulator, value):
    emulator.configure(clockOffsetSeconds=60)

    status, body = emulator.control("POST", "config", {"clockOffsetSeconds": value})

    assert (status, body) == (400, {"error": OFFSET_ERROR})
    assert emulator.control("GET", "config")[1]["clockOffsetSeconds"] == 60


# The Date header, which is where a client reads IAM's clock


@pytest.mark.parametrize("offset", [80 * DAY, -DAY, 0])
def test_iam_sts_and_cloudtrail_answers_are_dated_by_the_shifted_clock(
    emulator, iam, cloudtrail, offset
):
    emulator.configure(clockOffsetSeconds=offset)
    sts = emulator.client(service="sts")
    before = shifted(offset, cut=True)

    answers = [iam.list_users(), sts.get_caller_identity(), lookup(cloudtrail)]

    after = shifted(offset)
    for answer in answers:
        assert before <= date_header(answer) <= after


def test_an_iam_error_is_dated_by_the_shifted_clock_too(emulator, iam):
    emulator.configure(clockOffsetSeconds=10 * DAY)
    before = shifted(10 * DAY, cut=True)

    with pytest.raises(ClientError) as excinfo:
        iam.get_user(UserName="nobody")

    assert before <= date_header(excinfo.value.response) <= shifted(10 * DAY)


# What IAM stamps


def test_users_and_login_profiles_created_while_shifted_carry_the_shifted_date(emulator, iam):
    iam.create_user(UserName="early")
    early = iam.get_user(UserName="early")["User"]["CreateDate"]
    emulator.configure(clockOffsetSeconds=30 * DAY)
    before = shifted(30 * DAY, cut=True)

    iam.create_user(UserName="alice")
    created = iam.create_login_profile(UserName="alice", Password=PASSWORD)["LoginProfile"]

    after = shifted(30 * DAY)
    assert before <= iam.get_user(UserName="alice")["User"]["CreateDate"] <= after
    assert before <= created["CreateDate"] <= after
    assert iam.get_login_profile(UserName="alice")["LoginProfile"]["CreateDate"] == created["CreateDate"]
    # What was stamped before the clock moved keeps its date.
    assert iam.get_user(UserName="early")["User"]["CreateDate"] == early
    assert early < before - timedelta(days=29)


def test_the_credential_report_is_dated_by_the_shifted_clock(emulator, iam):
    emulator.configure(clockOffsetSeconds=45 * DAY)
    iam.update_account_password_policy(MaxPasswordAge=90)
    before = shifted(45 * DAY, cut=True)
    iam.create_user(UserName="alice")
    iam.create_login_profile(UserName="alice", Password=PASSWORD)
    assert sign_in(emulator) == {"signedIn": True}

    assert generate(iam) == STARTED
    generated, rows = report(iam)

    after = shifted(45 * DAY)
    alice = rows["alice"]
    assert before <= generated <= after
    for column in ("user_creation_time", "password_last_changed", "password_last_used"):
        assert before <= stamp(alice[column]) <= after, column
    assert alice["password_next_rotation"] == (
        stamp(alice["password_last_changed"]) + timedelta(days=90)
    ).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def test_moving_the_clock_80_days_on_makes_the_next_generate_build_a_new_report(emulator, iam):
    generate(iam)
    first_generated = report(iam)[0]
    iam.create_user(UserName="alice")
    assert generate(iam) == {"State": "COMPLETE"}
    assert "alice" not in report(iam)[1]

    emulator.configure(clockOffsetSeconds=80 * DAY)
    before = shifted(80 * DAY, cut=True)

    assert generate(iam) == STARTED

    generated, rows = report(iam)
    assert before <= generated <= shifted(80 * DAY)
    assert generated - first_generated >= timedelta(days=80)
    assert rows["alice"]["password_enabled"] == "false"


def test_the_max_age_is_judged_on_the_shifted_clock(emulator, iam):
    emulator.configure(credentialReportMaxAgeSeconds=3600)
    generate(iam)

    emulator.configure(clockOffsetSeconds=3599)
    assert generate(iam) == {"State": "COMPLETE"}
    emulator.configure(clockOffsetSeconds=3601)
    assert generate(iam) == STARTED


# CloudTrail's event history


def test_events_recorded_while_shifted_carry_the_shifted_time(emulator, iam, cloudtrail):
    emulator.configure(clockOffsetSeconds=30 * DAY)
    before = shifted(30 * DAY, cut=True)

    iam.create_user(UserName="alice")

    after = shifted(30 * DAY)
    [event] = lookup(cloudtrail)["Events"]
    assert event["EventName"] == "CreateUser"
    assert before <= event["EventTime"] <= after
    record_time = json.loads(event["CloudTrailEvent"])["eventTime"]
    assert record_time == event["EventTime"].strftime("%Y-%m-%dT%H:%M:%SZ")


def test_lookup_events_keeps_90_days_of_the_shifted_clock(emulator, iam, cloudtrail):
    iam.create_user(UserName="alice")

    emulator.configure(clockOffsetSeconds=90 * DAY - 60)
    assert [e["EventName"] for e in lookup(cloudtrail)["Events"]] == ["CreateUser"]

    emulator.configure(clockOffsetSeconds=90 * DAY + 60)
    assert lookup(cloudtrail)["Events"] == []


def test_an_event_stamped_after_the_clock_moved_back_waits_until_the_clock_passes_it(
    emulator, iam, cloudtrail
):
    iam.create_user(UserName="alice")

    emulator.configure(clockOffsetSeconds=-DAY)
    assert lookup(cloudtrail)["Events"] == []
    iam.create_user(UserName="bob")  # stamped a day back: delivered at once

    assert [e["EventName"] for e in lookup(cloudtrail)["Events"]] == ["CreateUser"]
    emulator.configure(clockOffsetSeconds=0)
    assert [e["Resources"][0]["ResourceName"] for e in lookup(cloudtrail)["Events"]] == [
        "alice",
        "bob",
    ]


# Sign-ins


def test_sign_ins_are_dated_by_the_shifted_clock(emulator, iam):
    iam.create_user(UserName="alice")
    iam.create_login_profile(UserName="alice", Password=PASSWORD)
    emulator.configure(clockOffsetSeconds=5 * DAY, credentialReportMaxAgeSeconds=0)
    before = shifted(5 * DAY, cut=True)

    assert sign_in(emulator) == {"signedIn": True}

    after = shifted(5 * DAY)
    used = iam.get_user(UserName="alice")["User"]["PasswordLastUsed"]
    assert before <= used <= after
    assert iam.list_users()["Users"][0]["PasswordLastUsed"] == used
    generate(iam)
    assert report(iam)[1]["alice"]["password_last_used"] == used.strftime("%Y-%m-%dT%H:%M:%S+00:00")


def test_a_sign_in_after_the_clock_moved_back_is_recorded_at_the_earlier_time(emulator, iam):
    iam.create_user(UserName="alice")
    iam.create_login_profile(UserName="alice", Password=PASSWORD)
    assert sign_in(emulator) == {"signedIn": True}
    first = iam.get_user(UserName="alice")["User"]["PasswordLastUsed"]
    emulator.configure(clockOffsetSeconds=-DAY)
    before = shifted(-DAY, cut=True)

    assert sign_in(emulator) == {"signedIn": True}

    used = iam.get_user(UserName="alice")["User"]["PasswordLastUsed"]
    assert before <= used <= shifted(-DAY)
    assert used < first


def test_moving_the_clock_back_crashes_nothing(emulator, iam, cloudtrail):
    iam.create_user(UserName="alice")
    iam.create_login_profile(UserName="alice", Password=PASSWORD)
    iam.update_account_password_policy(MaxPasswordAge=1)
    assert generate(iam) == STARTED
    assert sign_in(emulator) == {"signedIn": True}

    emulator.configure(clockOffsetSeconds=-400 * DAY)

    # The kept report is now "younger" than four hours: kept.
    assert generate(iam) == {"State": "COMPLETE"}
    assert report(iam)[1]["alice"]["password_enabled"] == "true"
    assert sign_in(emulator) == {"signedIn": True}
    iam.update_login_profile(UserName="alice", Password=PASSWORD)
    iam.create_user(UserName="bob")
    assert [u["UserName"] for u in iam.list_users()["Users"]] == ["alice", "bob"]
    # Only the events stamped since the move are in the (earlier) clock's past.
    assert [e["EventName"] for e in lookup(cloudtrail)["Events"]] == [
        "CreateUser",
        "UpdateLoginProfile",
        "GenerateCredentialReport",
    ]
    assert emulator.client(service="sts").get_caller_identity()["Account"] == "123456789012"
