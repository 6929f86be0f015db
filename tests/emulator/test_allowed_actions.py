"""``allowedActions``: the emulator plays a principal whose policy allows exactly those actions;
every other IAM or STS action answers AccessDenied as AWS does. GetCallerIdentity (which AWS
answers whatever the policy) and the administrator (access key id ``emulator-admin``) are never
restricted."""

import pytest
from botocore.exceptions import ClientError

from conftest import error_of

ADMIN = {"AccessKeyId": "emulator-admin", "SecretAccessKey": "emulator-admin"}
STRONG = "Corr3ct-Horse-Battery"


def test_an_action_the_policy_does_not_name_answers_access_denied_naming_it(emulator, iam):
    admin = emulator.client(credentials=ADMIN)
    admin.create_user(UserName="alice")
    emulator.configure(allowedActions=["iam:GetLoginProfile"])

    with pytest.raises(ClientError) as excinfo:
        iam.create_login_profile(UserName="alice", Password=STRONG)

    assert error_of(excinfo) == (
        403,
        "AccessDenied",
        "User: arn:aws:iam::123456789012:user/emulator is not authorized to perform: "
        "iam:CreateLoginProfile on resource: *",
    )
    assert emulator.calls()["faults"] == {"AccessDenied": 1}


def test_the_actions_it_names_are_answered(emulator, iam):
    admin = emulator.client(credentials=ADMIN)
    admin.create_user(UserName="alice")
    emulator.configure(allowedActions=["iam:CreateLoginProfile", "iam:GetLoginProfile"])

    iam.create_login_profile(UserName="alice", Password=STRONG)

    assert iam.get_login_profile(UserName="alice")["LoginProfile"]["UserName"] == "alice"
    assert emulator.calls()["faults"] == {}


def test_the_administrator_and_get_caller_identity_are_never_restricted(emulator, iam):
    emulator.configure(allowedActions=[])
    admin = emulator.client(credentials=ADMIN)

    admin.create_user(UserName="alice")
    admin.create_login_profile(UserName="alice", Password=STRONG)
    assert emulator.client(service="sts").get_caller_identity()["Account"] == "123456789012"
    with pytest.raises(ClientError) as excinfo:
        iam.get_login_profile(UserName="alice")
    assert error_of(excinfo)[1] == "AccessDenied"
    with pytest.raises(ClientError) as excinfo:
        emulator.client(service="sts").assume_role(RoleArn="arn:aws:iam::111111111111:role/Admin", RoleSessionName="t")
    assert error_of(excinfo)[2].endswith("is not authorized to perform: sts:AssumeRole on resource: *")


@pytest.mark.parametrize("value", [["GetLoginProfile"], ["iam:"], "iam:GetLoginProfile", [1]])
def test_a_malformed_list_is_refused_naming_the_rule(emulator, value):
    status, body = emulator.control("POST", "config", {"allowedActions": value})

    assert (status, body) == (
        400,
        {
            "error": "allowedActions must be a list of actions as a policy names them "
            "(iam:GetLoginProfile, sts:AssumeRole, cloudtrail:LookupEvents), or null for all"
        },
    )


def test_null_allows_everything_again(emulator, iam):
    emulator.configure(allowedActions=[])
    emulator.configure(allowedActions=None)

    iam.list_users()
    assert emulator.calls()["faults"] == {}
