"""The realism switches and the control API: each off by default, each observable exactly."""

import socket
import threading
import time
import urllib.request
import xml.etree.ElementTree as ET

import pytest
from botocore.exceptions import ClientError, ConnectionClosedError
from botocore.retries.standard import ExponentialBackoff

from conftest import error_of

STRONG = "Corr3ct-Horse-Battery"
DEFAULTS = {
    "enforcePasswordPolicy": False,
    "userPropagationSeconds": 0,
    "profileSettleSeconds": 0,
    "faultRate": 0,
    "faultKinds": ["throttle", "5xx", "drop"],
    "faultBurst": 1,
    "latencyMs": 0,
    "seed": 0,
    "faultActions": None,
    "credentialReportMaxAgeSeconds": 14400,
    "deniedActions": [],
    "allowedActions": None,
    "rateLimitPerSecond": 0,
    "rateLimitBurst": 10,
    "eventDelaySeconds": 0,
    "clockOffsetSeconds": 0,
}


def test_every_switch_is_off_by_default(emulator):
    assert emulator.control("GET", "config") == (200, DEFAULTS)


def test_config_merges_partial_updates_and_reset_restores_the_defaults(emulator):
    emulator.configure(latencyMs=5)
    status, merged = emulator.control("POST", "config", {"faultRate": 0.5})

    assert status == 200
    assert merged == {**DEFAULTS, "latencyMs": 5, "faultRate": 0.5}
    emulator.control("POST", "reset")
    assert emulator.control("GET", "config") == (200, DEFAULTS)


@pytest.mark.parametrize(
    ("patch", "message"),
    [
        ({"faultRat": 1}, "unknown setting 'faultRat'"),
        ({"faultRate": 1.5}, "faultRate must be between 0 and 1"),
        ({"enforcePasswordPolicy": 1}, "enforcePasswordPolicy must be true or false"),
        ({"faultKinds": ["timeout"]}, "faultKinds must be a list of: throttle, 5xx, drop, lost"),
        ({"latencyMs": -1}, "latencyMs must be a number >= 0"),
        ({"faultBurst": 0}, "faultBurst must be an integer >= 1"),
    ],
)
def test_config_rejects_a_bad_setting_and_names_it(emulator, patch, message):
    status, body = emulator.control("POST", "config", patch)

    assert status == 400
    assert body["error"].startswith(message)
    assert emulator.control("GET", "config") == (200, DEFAULTS)


# Password policy


def test_weak_passwords_are_accepted_while_the_policy_is_not_enforced(iam):
    iam.create_user(UserName="alice")
    iam.create_login_profile(UserName="alice", Password="a")


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Sh0rt!x", "Password should have a minimum length of 8"),
        ("lowercase-only", "Password should have at least three of the following: uppercase "
         "letters, lowercase letters, numbers, symbols"),
        ("Upper1lower", None),
        ("UPPER!lower", None),
    ],
)
def test_aws_default_policy_applies_when_the_account_has_none(emulator, iam, password, message):
    emulator.configure(enforcePasswordPolicy=True)
    iam.create_user(UserName="alice")

    if message is None:
        iam.create_login_profile(UserName="alice", Password=password)
        return
    with pytest.raises(ClientError) as excinfo:
        iam.create_login_profile(UserName="alice", Password=password)
    assert error_of(excinfo) == (400, "PasswordPolicyViolation", message)


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Aa1!aaaaaaa", "Password should have a minimum length of 12"),
        ("AA1!AAAAAAAA", "Password should have at least one lowercase letter"),
        ("aa1!aaaaaaaa", "Password should have at least one uppercase letter"),
        ("Aa!!aaaaaaaa", "Password should have at least one number"),
        ("Aa1~aaaaaaaa", "Password should have at least one symbol"),
    ],
)
def test_the_account_policy_is_enforced_on_create_and_update(emulator, iam, password, message):
    emulator.configure(enforcePasswordPolicy=True)
    iam.update_account_password_policy(
        MinimumPasswordLength=12,
        RequireLowercaseCharacters=True,
        RequireUppercaseCharacters=True,
        RequireNumbers=True,
        RequireSymbols=True,
    )
    iam.create_user(UserName="alice")
    iam.create_login_profile(UserName="alice", Password="Aa1!aaaaaaaa")

    with pytest.raises(ClientError) as update:
        iam.update_login_profile(UserName="alice", Password=password)
    iam.delete_login_profile(UserName="alice")
    with pytest.raises(ClientError) as create:
        iam.create_login_profile(UserName="alice", Password=password)

    assert error_of(update) == error_of(create) == (400, "PasswordPolicyViolation", message)


def test_a_missing_user_is_reported_before_the_password_is_judged(emulator, iam):
    emulator.configure(enforcePasswordPolicy=True)

    with pytest.raises(ClientError) as excinfo:
        iam.create_login_profile(UserName="nobody", Password="weak")

    assert error_of(excinfo)[1] == "NoSuchEntity"


# Eventual consistency


def test_a_new_user_is_not_found_by_create_login_profile_until_it_propagates(emulator, iam):
    emulator.configure(userPropagationSeconds=0.5)
    iam.create_user(UserName="Alice")

    with pytest.raises(ClientError) as excinfo:
        iam.create_login_profile(UserName="alice", Password=STRONG)
    assert error_of(excinfo) == (404, "NoSuchEntity", "The user with name alice cannot be found.")
    iam.get_user(UserName="Alice")

    time.sleep(0.55)
    iam.create_login_profile(UserName="Alice", Password=STRONG)
    assert emulator.calls()["faults"] == {"NoSuchEntity": 1}


@pytest.mark.parametrize("call", ["update", "delete"])
def test_a_new_profile_is_temporarily_unmodifiable(emulator, iam, call):
    emulator.configure(profileSettleSeconds=0.5)
    iam.create_user(UserName="alice")
    iam.create_login_profile(UserName="alice", Password=STRONG)
    modify = {
        "update": lambda: iam.update_login_profile(UserName="alice", PasswordResetRequired=True),
        "delete": lambda: iam.delete_login_profile(UserName="alice"),
    }[call]

    with pytest.raises(ClientError) as excinfo:
        modify()
    assert error_of(excinfo) == (
        409,
        "EntityTemporarilyUnmodifiable",
        "Login Profile for User alice cannot be modified while login profile is being created.",
    )
    iam.get_login_profile(UserName="alice")

    time.sleep(0.55)
    modify()
    assert emulator.calls()["faults"] == {"EntityTemporarilyUnmodifiable": 1}


# Faults


def test_throttling_is_a_query_protocol_rate_exceeded_error(emulator, iam):
    emulator.configure(faultRate=1, faultKinds=["throttle"])

    with pytest.raises(ClientError) as excinfo:
        iam.list_users()

    assert error_of(excinfo) == (400, "Throttling", "Rate exceeded")
    assert excinfo.value.response["Error"]["Type"] == "Sender"


def test_server_errors_are_service_failure_or_service_unavailable(emulator, iam):
    emulator.configure(faultRate=1, faultKinds=["5xx"])
    seen = set()
    for _ in range(8):
        with pytest.raises(ClientError) as excinfo:
            iam.list_users()
        seen.add(error_of(excinfo)[:2])
        assert excinfo.value.response["Error"]["Type"] == "Receiver"

    assert seen == {(500, "ServiceFailure"), (503, "ServiceUnavailable")}


def test_a_dropped_connection_closes_without_any_response(emulator, iam):
    emulator.configure(faultRate=1, faultKinds=["drop"])

    with pytest.raises(ConnectionClosedError):
        iam.list_users()
    assert emulator.calls() == {"calls": {"ListUsers": 1}, "faults": {"Dropped": 1}, "inFlight": 0}


def test_a_lost_response_comes_after_iam_acted(emulator, iam):
    iam.create_user(UserName="alice")
    emulator.configure(faultRate=1, faultKinds=["lost"], faultActions=["CreateLoginProfile"])

    with pytest.raises(ConnectionClosedError):
        iam.create_login_profile(UserName="alice", Password=STRONG)

    # The profile exists although the caller heard nothing: a retry meets EntityAlreadyExists.
    assert iam.get_login_profile(UserName="alice")["LoginProfile"]["UserName"] == "alice"
    assert emulator.control("POST", "sign-in", {"userName": "alice", "password": STRONG}) == (200, {"signedIn": True})
    assert emulator.calls()["faults"] == {"Lost": 1}
    emulator.configure(faultRate=0)
    with pytest.raises(ClientError) as excinfo:
        iam.create_login_profile(UserName="alice", Password=STRONG)
    assert error_of(excinfo)[1] == "EntityAlreadyExists"


def test_lost_is_not_among_the_default_fault_kinds(emulator):
    assert emulator.control("GET", "config")[1]["faultKinds"] == ["throttle", "5xx", "drop"]


def test_a_dropped_connection_sends_no_byte(emulator):
    emulator.configure(faultRate=1, faultKinds=["drop"])
    host, port = emulator.endpoint.removeprefix("http://").split(":")
    body = b"Action=ListUsers&Version=2010-05-08"

    with socket.create_connection((host, int(port)), timeout=5) as sock:
        sock.sendall(
            b"POST / HTTP/1.1\r\nHost: iam\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            + _AUTH + b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body
        )
        assert sock.recv(1024) == b""


def test_injected_errors_are_iam_error_response_xml(emulator):
    emulator.configure(faultRate=1, faultKinds=["throttle"])
    request = urllib.request.Request(
        emulator.endpoint + "/",
        b"Action=ListUsers&Version=2010-05-08",
        {"Authorization": _AUTH[len(b"Authorization: "):-2].decode()},
    )

    with pytest.raises(urllib.error.HTTPError) as excinfo:
        urllib.request.urlopen(request, timeout=5)

    ns = "{https://iam.amazonaws.com/doc/2010-05-08/}"
    root = ET.fromstring(excinfo.value.read())
    assert excinfo.value.code == 400
    assert root.tag == f"{ns}ErrorResponse"
    assert [(e.tag.removeprefix(ns), e.text) for e in root.find(f"{ns}Error")] == [
        ("Type", "Sender"),
        ("Code", "Throttling"),
        ("Message", "Rate exceeded"),
    ]
    assert root.find(f"{ns}RequestId").text


def test_faults_are_repeatable_with_a_seed(emulator, iam):
    def outcomes():
        emulator.configure(faultRate=0.5, faultKinds=["throttle", "5xx"], seed=42)
        result = []
        for _ in range(12):
            try:
                iam.list_users()
                result.append("ok")
            except ClientError as error:
                result.append(error.response["Error"]["Code"])
        return result

    first = outcomes()
    assert outcomes() == first
    assert "ok" in first and len(set(first)) > 1


def test_fault_actions_limits_faults_to_the_named_actions(emulator, iam):
    emulator.configure(faultRate=1, faultKinds=["throttle"], faultActions=["CreateLoginProfile"])

    iam.create_user(UserName="alice")
    with pytest.raises(ClientError, match="Throttling"):
        iam.create_login_profile(UserName="alice", Password=STRONG)
    iam.get_user(UserName="alice")


def test_latency_is_added_to_each_call(emulator, iam):
    iam.list_users()
    emulator.configure(latencyMs=200)

    started = time.monotonic()
    iam.list_users()

    assert time.monotonic() - started >= 0.2
    assert emulator.calls()["faults"] == {"Latency": 1}


def test_the_sdks_retries_ride_out_injected_faults(emulator, monkeypatch):
    # botocore backs off up to seconds after a Throttling; the test is about the emulator.
    monkeypatch.setattr(ExponentialBackoff, "delay_amount", lambda self, context: 0)
    emulator.configure(faultRate=0.5, faultKinds=["throttle", "5xx", "drop"], seed=3)
    iam = emulator.client(attempts=10)

    for _ in range(4):
        iam.list_users()

    counts = emulator.calls()
    assert counts["calls"]["ListUsers"] == 4 + sum(counts["faults"].values())
    assert counts["faults"]


# Call counts


def test_iam_calls_are_counted_by_action_and_control_calls_are_not(emulator, iam):
    iam.create_user(UserName="alice")
    iam.create_login_profile(UserName="alice", Password=STRONG)
    iam.get_login_profile(UserName="alice")
    iam.get_login_profile(UserName="alice")
    emulator.control("GET", "config")

    assert emulator.calls() == {
        "calls": {"CreateUser": 1, "CreateLoginProfile": 1, "GetLoginProfile": 2},
        "faults": {},
        "inFlight": 0,
    }
    emulator.control("POST", "reset")
    assert emulator.calls() == {"calls": {}, "faults": {}, "inFlight": 0}


def test_calls_still_being_answered_are_counted_in_flight(emulator, iam):
    iam.create_user(UserName="alice")
    emulator.configure(latencyMs=1500, faultActions=["GetUser"])
    call = threading.Thread(target=lambda: iam.get_user(UserName="alice"))
    call.start()
    deadline = time.monotonic() + 1
    while emulator.calls()["inFlight"] == 0 and time.monotonic() < deadline:
        time.sleep(0.02)

    assert emulator.calls()["inFlight"] == 1
    call.join()
    assert emulator.calls()["inFlight"] == 0


def test_reset_clears_moto_state(emulator, iam):
    iam.create_user(UserName="alice")

    emulator.control("POST", "reset")

    assert iam.list_users()["Users"] == []


# A signed-looking header: moto routes by the signing scope and does not check signatures.
_AUTH = (
    b"Authorization: AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/iam/aws4_request, "
    b"SignedHeaders=host, Signature=0\r\n"
)


# Sign-in (the control API's password check)


NO_PROFILE = {"signedIn": False, "reason": "no-profile"}
WRONG_PASSWORD = {"signedIn": False, "reason": "wrong-password"}


def _sign_in(emulator, user_name, password):
    return emulator.control("POST", "sign-in", {"userName": user_name, "password": password})


def test_sign_in_tells_whether_a_password_opens_the_console(emulator, iam):
    iam.create_user(UserName="alice")
    iam.create_login_profile(UserName="alice", Password=STRONG)

    assert _sign_in(emulator, "alice", STRONG) == (200, {"signedIn": True})
    assert _sign_in(emulator, "ALICE", STRONG) == (200, {"signedIn": True})
    assert _sign_in(emulator, "alice", STRONG + "x") == (200, WRONG_PASSWORD)
    assert _sign_in(emulator, "bob", STRONG) == (200, NO_PROFILE)
    iam.update_login_profile(UserName="alice", Password="An0ther-Password!")
    assert _sign_in(emulator, "alice", STRONG) == (200, WRONG_PASSWORD)
    iam.delete_login_profile(UserName="alice")
    assert _sign_in(emulator, "alice", "An0ther-Password!") == (200, NO_PROFILE)


def test_sign_in_rejects_a_malformed_request_without_echoing_it(emulator):
    status, body = emulator.control("POST", "sign-in", {"userName": "alice", "password": 7})

    assert status == 400
    assert body == {"error": "sign-in needs userName and password, both strings"}


# Fault bursts


def _fault_sequence(emulator, iam, calls):
    """Whether each of ``calls`` GetUser calls failed (one attempt each)."""
    failed = []
    for _ in range(calls):
        try:
            iam.get_user(UserName="alice")
            failed.append(False)
        except ClientError:
            failed.append(True)
    return failed


def _runs(failed):
    """Lengths of the maximal runs of failures, and whether the sequence ends inside one."""
    runs, length = [], 0
    for fault in failed:
        if fault:
            length += 1
        elif length:
            runs.append(length)
            length = 0
    return runs, length


def test_a_drawn_fault_repeats_for_fault_burst_consecutive_calls(emulator, iam):
    iam.create_user(UserName="alice")
    emulator.configure(faultRate=0.2, faultKinds=["5xx"], faultBurst=4, faultActions=["GetUser"], seed=7)

    runs, trailing = _runs(_fault_sequence(emulator, iam, 60))

    assert runs, "no burst in 60 calls at a 20% rate"
    # After a burst the next call draws again, so a run of failures is whole bursts back to back.
    assert all(length % 4 == 0 for length in runs), runs
    faults = emulator.calls()["faults"]
    assert sum(faults.get(code, 0) for code in ("ServiceFailure", "ServiceUnavailable")) == sum(runs) + trailing


def test_one_fault_a_draw_without_fault_burst(emulator, iam):
    iam.create_user(UserName="alice")
    emulator.configure(faultRate=0.5, faultKinds=["throttle"], faultActions=["GetUser"], seed=7)

    runs, _ = _runs(_fault_sequence(emulator, iam, 60))

    assert any(length % 4 for length in runs), runs


def test_denied_actions_answer_access_denied_as_iam_does_and_others_still_work(emulator, iam):
    emulator.configure(deniedActions=["GenerateCredentialReport", "GetCredentialReport"])

    with pytest.raises(ClientError) as denied:
        iam.generate_credential_report()

    assert error_of(denied) == (
        403,
        "AccessDenied",
        "User: arn:aws:iam::123456789012:user/emulator is not authorized to perform: "
        "iam:GenerateCredentialReport on resource: *",
    )
    iam.create_user(UserName="alice")
    assert emulator.calls()["faults"] == {"AccessDenied": 1}


def test_denied_actions_must_be_a_list_of_action_names(emulator):
    status, body = emulator.control("POST", "config", {"deniedActions": None})

    assert (status, body) == (400, {"error": "deniedActions must be a list of IAM, STS, CloudTrail or S3 action names"})
