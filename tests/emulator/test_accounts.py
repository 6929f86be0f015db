"""Several accounts: STS beside IAM on the same port, and everything the emulator adds kept per
account (calls, faults, propagation, the credential report, sign-in, the rate limit)."""

import time

import pytest
from botocore.exceptions import ClientError

from conftest import error_of

STRONG = "Corr3ct-Horse-Battery"
DEFAULT_ACCOUNT = "123456789012"
MEMBER = "111111111111"
OTHER_MEMBER = "222222222222"


def sts(emulator):
    """An STS client with the default account's keys."""
    return emulator.client(service="sts")


def iam_in(emulator, account):
    """An IAM client with the credentials of a role assumed in ``account``."""
    credentials = sts(emulator).assume_role(
        RoleArn=f"arn:aws:iam::{account}:role/BreakGlassAdmin", RoleSessionName="tests"
    )["Credentials"]
    return emulator.client(credentials=credentials)


def test_an_assumed_role_reaches_the_role_arns_account(emulator, iam):
    member = iam_in(emulator, MEMBER)
    member.create_user(UserName="breakglass")
    member.create_login_profile(UserName="breakglass", Password=STRONG)

    assert member.get_login_profile(UserName="breakglass")["LoginProfile"]["UserName"] == "breakglass"
    with pytest.raises(ClientError) as excinfo:
        iam.get_login_profile(UserName="breakglass")
    assert error_of(excinfo)[1] == "NoSuchEntity"


def test_sts_calls_are_counted_in_all_and_per_account(emulator, iam):
    iam.list_users()
    member = iam_in(emulator, MEMBER)
    member.list_users()
    member.list_users()
    sts(emulator).get_caller_identity()

    assert emulator.calls()["calls"] == {"ListUsers": 3, "AssumeRole": 1, "GetCallerIdentity": 1}
    assert emulator.control("GET", f"calls?accountId={MEMBER}") == (
        200,
        {"calls": {"ListUsers": 2}, "faults": {}, "inFlight": 0},
    )
    assert emulator.control("GET", f"calls?accountId={DEFAULT_ACCOUNT}")[1]["calls"] == {
        "ListUsers": 1,
        "AssumeRole": 1,
        "GetCallerIdentity": 1,
    }
    assert emulator.control("GET", "calls?accountId=12") == (400, {"error": "accountId must be 12 digits"})


def test_denied_actions_apply_to_sts(emulator):
    emulator.configure(deniedActions=["AssumeRole"])

    with pytest.raises(ClientError) as excinfo:
        sts(emulator).assume_role(RoleArn=f"arn:aws:iam::{MEMBER}:role/BreakGlassAdmin", RoleSessionName="tests")

    status, code, message = error_of(excinfo)
    assert (status, code) == (403, "AccessDenied")
    assert message == (
        f"User: arn:aws:iam::{DEFAULT_ACCOUNT}:user/emulator is not authorized to perform: "
        "sts:AssumeRole on resource: *"
    )
    assert emulator.calls()["faults"] == {"AccessDenied": 1}


def test_sign_in_takes_the_account(emulator, iam):
    member = iam_in(emulator, MEMBER)
    member.create_user(UserName="breakglass")
    member.create_login_profile(UserName="breakglass", Password=STRONG)
    iam.create_user(UserName="breakglass")
    iam.create_login_profile(UserName="breakglass", Password="Default-Acc0unt-Password")

    def sign_in(**body):
        return emulator.control("POST", "sign-in", {"userName": "breakglass", **body})

    assert sign_in(password=STRONG, accountId=MEMBER) == (200, {"signedIn": True})
    assert sign_in(password=STRONG) == (200, {"signedIn": False, "reason": "wrong-password"})
    assert sign_in(password="Default-Acc0unt-Password") == (200, {"signedIn": True})
    assert sign_in(password=STRONG, accountId=OTHER_MEMBER) == (
        200,
        {"signedIn": False, "reason": "no-profile"},
    )
    assert sign_in(password=STRONG, accountId="x") == (400, {"error": "accountId must be 12 digits"})


def test_propagation_is_kept_per_account(emulator, iam):
    emulator.configure(userPropagationSeconds=30)
    member = iam_in(emulator, MEMBER)
    member.create_user(UserName="breakglass")
    emulator.configure(userPropagationSeconds=0.5)
    iam.create_user(UserName="breakglass")
    time.sleep(0.6)

    # The default account's user has propagated; the member's, created earlier, has not.
    iam.create_login_profile(UserName="breakglass", Password=STRONG)
    emulator.configure(userPropagationSeconds=30)
    with pytest.raises(ClientError) as excinfo:
        member.create_login_profile(UserName="breakglass", Password=STRONG)
    assert error_of(excinfo)[1] == "NoSuchEntity"


def test_the_credential_report_is_per_account(emulator, iam):
    member = iam_in(emulator, MEMBER)
    member.create_user(UserName="breakglass")
    member.create_login_profile(UserName="breakglass", Password=STRONG)
    iam.create_user(UserName="alice")

    member.generate_credential_report()
    iam.generate_credential_report()
    member_report = member.get_credential_report()["Content"].decode()
    default_report = iam.get_credential_report()["Content"].decode()

    assert "\nbreakglass," in member_report and "\nalice," not in member_report
    assert "\nalice," in default_report and "\nbreakglass," not in default_report


def test_the_rate_limit_is_a_token_bucket_per_account(emulator, iam):
    emulator.configure(rateLimitPerSecond=1, rateLimitBurst=3)
    member = iam_in(emulator, MEMBER)

    for _ in range(3):
        iam.list_users()
        member.list_users()
    with pytest.raises(ClientError) as excinfo:
        iam.list_users()
    assert error_of(excinfo) == (400, "Throttling", "Rate exceeded")
    with pytest.raises(ClientError):
        member.list_users()
    # STS is not IAM: it draws no token.
    sts(emulator).get_caller_identity()

    assert emulator.calls()["faults"] == {"Throttling": 2}
    assert emulator.control("GET", f"calls?accountId={MEMBER}")[1]["faults"] == {"Throttling": 1}
    time.sleep(1.1)
    iam.list_users()


@pytest.mark.parametrize(
    ("patch", "message"),
    [
        ({"rateLimitPerSecond": -1}, "rateLimitPerSecond must be a number >= 0"),
        ({"rateLimitBurst": 0}, "rateLimitBurst must be an integer >= 1"),
        ({"rateLimitBurst": 1.5}, "rateLimitBurst must be an integer >= 1"),
    ],
)
def test_rate_limit_settings_are_checked(emulator, patch, message):
    status, body = emulator.control("POST", "config", patch)

    assert (status, body) == (400, {"error": message})
