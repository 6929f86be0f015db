"""Each fidelity correction, as the behaviour AWS documents. Every test here fails on moto 5.2.5
as it ships (run with IAM_EMULATOR_RAW=1 to see it), except the boundary test marked below."""

import time

import pytest
from botocore.exceptions import ClientError

from conftest import error_of

PASSWORD = "Corr3ct-Horse-Battery"
OTHER_PASSWORD = "An0ther-Horse-Battery"


@pytest.fixture
def user(iam):
    iam.create_user(UserName="alice")
    return "alice"


def test_create_login_profile_honours_password_reset_required(iam, user):
    created = iam.create_login_profile(UserName=user, Password=PASSWORD, PasswordResetRequired=True)

    assert created["LoginProfile"]["PasswordResetRequired"] is True
    assert iam.get_login_profile(UserName=user)["LoginProfile"]["PasswordResetRequired"] is True


def test_create_login_profile_reports_the_profiles_creation_time_not_the_users(iam, user):
    user_created = iam.get_user(UserName=user)["User"]["CreateDate"]
    time.sleep(0.05)

    created = iam.create_login_profile(UserName=user, Password=PASSWORD)

    assert created["LoginProfile"]["CreateDate"] > user_created


def test_update_with_password_reset_required_alone_sets_the_flag_and_keeps_the_profile(iam, user):
    iam.create_login_profile(UserName=user, Password=PASSWORD)

    iam.update_login_profile(UserName=user, PasswordResetRequired=True)

    assert iam.get_login_profile(UserName=user)["LoginProfile"]["PasswordResetRequired"] is True


def test_update_with_password_alone_leaves_the_flag_as_it_was(iam, user):
    iam.create_login_profile(UserName=user, Password=PASSWORD)
    iam.update_login_profile(UserName=user, Password=OTHER_PASSWORD, PasswordResetRequired=True)

    iam.update_login_profile(UserName=user, Password=PASSWORD)

    assert iam.get_login_profile(UserName=user)["LoginProfile"]["PasswordResetRequired"] is True


INVALID_PASSWORDS = [
    ("", "Member must have length greater than or equal to 1"),
    ("Aa1!" * 32 + "x", "Member must have length less than or equal to 128"),
    ("Corr3ct-Horse-\u0100", "Member must satisfy regular expression pattern: "
     "[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+"),
    ("Corr3ct-Horse-\x00", "Member must satisfy regular expression pattern: "
     "[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+"),
]
INVALID_IDS = ["empty", "129 characters", "U+0100", "NUL"]


@pytest.mark.parametrize(("password", "constraint"), INVALID_PASSWORDS, ids=INVALID_IDS)
def test_create_login_profile_rejects_a_password_outside_the_documented_constraints(
    iam, user, password, constraint
):
    with pytest.raises(ClientError) as excinfo:
        iam.create_login_profile(UserName=user, Password=password)

    assert error_of(excinfo) == (
        400,
        "ValidationError",
        f"1 validation error detected: Value at 'password' failed to satisfy constraint: {constraint}",
    )
    with pytest.raises(ClientError, match="NoSuchEntity"):
        iam.get_login_profile(UserName=user)


@pytest.mark.parametrize(("password", "constraint"), INVALID_PASSWORDS, ids=INVALID_IDS)
def test_update_login_profile_rejects_a_password_outside_the_documented_constraints(
    iam, user, password, constraint
):
    iam.create_login_profile(UserName=user, Password=PASSWORD)

    with pytest.raises(ClientError) as excinfo:
        iam.update_login_profile(UserName=user, Password=password)

    assert error_of(excinfo)[:2] == (400, "ValidationError")
    assert constraint in error_of(excinfo)[2]
    assert iam.get_login_profile(UserName=user)["LoginProfile"]["UserName"] == user


def test_a_password_breaking_two_constraints_reports_both(iam, user):
    with pytest.raises(ClientError) as excinfo:
        iam.create_login_profile(UserName=user, Password="\u0100" * 129)

    assert error_of(excinfo)[2].startswith("2 validation errors detected: Value at 'password'")


def test_passwords_at_the_edges_of_the_constraints_are_accepted(iam):
    """Guards against over-correction; passes on raw moto too."""
    for name, password in [("one", "x"), ("max", "\t\n\r \xff" + "A" * 123)]:
        iam.create_user(UserName=name)
        iam.create_login_profile(UserName=name, Password=password)
        assert iam.get_login_profile(UserName=name)["LoginProfile"]["UserName"] == name


def test_delete_user_conflicts_while_the_user_has_a_login_profile(iam, user):
    iam.create_login_profile(UserName=user, Password=PASSWORD)

    with pytest.raises(ClientError) as excinfo:
        iam.delete_user(UserName=user)

    assert error_of(excinfo) == (
        409,
        "DeleteConflict",
        "Cannot delete entity, must delete login profile first.",
    )
    iam.delete_login_profile(UserName=user)
    iam.delete_user(UserName=user)


def test_get_login_profile_reports_the_flag_and_creation_date_after_a_password_change(iam, user):
    created = iam.create_login_profile(UserName=user, Password=PASSWORD)["LoginProfile"]
    time.sleep(0.05)

    iam.update_login_profile(UserName=user, Password=OTHER_PASSWORD)

    profile = iam.get_login_profile(UserName=user)["LoginProfile"]
    assert profile.get("PasswordResetRequired") is False
    assert profile["CreateDate"] == created["CreateDate"]
