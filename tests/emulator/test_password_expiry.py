"""Password expiry: the policy's MaxPasswordAge and HardExpiry, the credential report's
password_next_rotation, and the sign-in control call's answers, as AWS documents them.

A password's age counts from its last set (CreateLoginProfile, UpdateLoginProfile with a Password,
ChangePassword), so the tests move IAM's clock (clockOffsetSeconds) rather than wait for days.
moto 5.2.5 keeps the policy's two fields (those tests are guards). The sign-in answers are the
emulator's (``control``, ``expiry``), there with ``--raw`` too; the report's columns, the age a
password update restarts and MaxPasswordAge's lower bound are fidelity corrections, and their
tests fail on raw moto.
"""

import csv
import io
from datetime import datetime, timedelta, timezone

import pytest
from botocore.exceptions import ClientError

from conftest import error_of

PASSWORD = "Corr3ct-Horse-Battery"
NEW_PASSWORD = "N3w-Horse-Battery!"
DAY = 24 * 3600
REPORT_DATE = "%Y-%m-%dT%H:%M:%S+00:00"
SIGNED_IN = {"signedIn": True}
NO_PROFILE = {"signedIn": False, "reason": "no-profile"}
WRONG_PASSWORD = {"signedIn": False, "reason": "wrong-password"}
EXPIRED = {"signedIn": False, "reason": "expired", "hardExpiry": False}
EXPIRED_HARD = {"signedIn": False, "reason": "expired", "hardExpiry": True}


@pytest.fixture
def alice(emulator, iam):
    """alice, with a console password and an access key of her own (as client credentials); every
    GenerateCredentialReport makes a fresh report."""
    emulator.configure(credentialReportMaxAgeSeconds=0)
    iam.create_user(UserName="alice")
    iam.create_login_profile(UserName="alice", Password=PASSWORD)
    key = iam.create_access_key(UserName="alice")["AccessKey"]
    return {"AccessKeyId": key["AccessKeyId"], "SecretAccessKey": key["SecretAccessKey"]}


def sign_in(emulator, password=PASSWORD, user_name="alice"):
    status, body = emulator.control("POST", "sign-in", {"userName": user_name, "password": password})
    assert status == 200, body
    return body


def row(iam, user_name="alice"):
    iam.generate_credential_report()
    rows = csv.DictReader(io.StringIO(iam.get_credential_report()["Content"].decode()))
    return next(r for r in rows if r["user"] == user_name)


def stamp(value):
    return datetime.fromisoformat(value)


def shifted(offset, cut=False):
    at = datetime.now(timezone.utc) + timedelta(seconds=offset)
    return at.replace(microsecond=0) if cut else at


def move_clock(emulator, days, seconds=0):
    emulator.configure(clockOffsetSeconds=days * DAY + seconds)


# The policy's MaxPasswordAge and HardExpiry


def test_get_account_password_policy_answers_max_password_age_and_hard_expiry(iam):
    """Guard: moto keeps both; passes on raw moto too."""
    iam.update_account_password_policy(MaxPasswordAge=90, HardExpiry=True)

    assert iam.get_account_password_policy()["PasswordPolicy"] == {
        "MinimumPasswordLength": 6,
        "RequireSymbols": False,
        "RequireNumbers": False,
        "RequireUppercaseCharacters": False,
        "RequireLowercaseCharacters": False,
        "AllowUsersToChangePassword": False,
        "ExpirePasswords": True,
        "MaxPasswordAge": 90,
        "HardExpiry": True,
    }


@pytest.mark.parametrize("days", [1, 1095])
def test_max_password_age_takes_1_to_1095_days(iam, days):
    """Guard: moto keeps both ends; passes on raw moto too."""
    iam.update_account_password_policy(MaxPasswordAge=days)

    policy = iam.get_account_password_policy()["PasswordPolicy"]
    assert (policy["MaxPasswordAge"], policy["ExpirePasswords"], policy["HardExpiry"]) == (
        days,
        True,
        False,
    )


@pytest.mark.parametrize(
    ("days", "constraint"),
    [
        (0, "Member must have value greater than or equal to 1"),
        (1096, "Member must have value less than or equal to 1095"),
    ],
)
def test_max_password_age_outside_1_to_1095_is_a_validation_error(iam, days, constraint):
    with pytest.raises(ClientError) as excinfo:
        iam.update_account_password_policy(MaxPasswordAge=days)

    assert error_of(excinfo) == (
        400,
        "ValidationError",
        f'1 validation error detected: Value "{days}" at "maxPasswordAge" failed to satisfy '
        f"constraint: {constraint}",
    )


# The credential report's password_next_rotation


def test_password_next_rotation_is_the_last_set_plus_max_password_age(iam, alice):
    iam.update_account_password_policy(MaxPasswordAge=90)

    alice_row = row(iam)

    changed = stamp(alice_row["password_last_changed"])
    assert alice_row["password_next_rotation"] == (changed + timedelta(days=90)).strftime(REPORT_DATE)
    assert stamp(alice_row["password_next_rotation"]).isoformat() == alice_row["password_next_rotation"]


def test_password_next_rotation_is_n_a_without_max_password_age(iam, alice):
    assert row(iam)["password_next_rotation"] == "N/A"

    iam.update_account_password_policy(MinimumPasswordLength=12)
    assert row(iam)["password_next_rotation"] == "N/A"

    iam.update_account_password_policy(MaxPasswordAge=30)
    iam.delete_account_password_policy()
    assert row(iam)["password_next_rotation"] == "N/A"


def test_password_next_rotation_is_n_a_for_a_user_without_a_password(emulator, iam):
    emulator.configure(credentialReportMaxAgeSeconds=0)
    iam.update_account_password_policy(MaxPasswordAge=90)
    iam.create_user(UserName="bob")

    bob = row(iam, "bob")

    assert (bob["password_enabled"], bob["password_last_changed"], bob["password_next_rotation"]) == (
        "false",
        "N/A",
        "N/A",
    )


def test_a_new_max_password_age_applies_to_existing_passwords_at_once(iam, alice):
    changed = stamp(row(iam)["password_last_changed"])

    iam.update_account_password_policy(MaxPasswordAge=7)

    assert row(iam)["password_next_rotation"] == (changed + timedelta(days=7)).strftime(REPORT_DATE)


@pytest.mark.parametrize("how", ["UpdateLoginProfile", "ChangePassword"])
def test_setting_a_password_restarts_its_rotation(emulator, iam, alice, how):
    iam.update_account_password_policy(MaxPasswordAge=90)
    move_clock(emulator, days=100)
    before = shifted(100 * DAY, cut=True)

    if how == "UpdateLoginProfile":
        iam.update_login_profile(UserName="alice", Password=NEW_PASSWORD)
    else:
        emulator.client(credentials=alice).change_password(
            OldPassword=PASSWORD, NewPassword=NEW_PASSWORD
        )

    alice_row = row(iam)
    changed = stamp(alice_row["password_last_changed"])
    assert before <= changed <= shifted(100 * DAY)
    assert alice_row["password_next_rotation"] == (changed + timedelta(days=90)).strftime(REPORT_DATE)


def test_a_flag_only_update_does_not_restart_the_rotation(emulator, iam, alice):
    iam.update_account_password_policy(MaxPasswordAge=90)
    first = row(iam)
    move_clock(emulator, days=10)

    iam.update_login_profile(UserName="alice", PasswordResetRequired=True)

    later = row(iam)
    assert later["password_last_changed"] == first["password_last_changed"]
    assert later["password_next_rotation"] == first["password_next_rotation"]


# Sign-in: no-profile, then wrong-password, then expired


def test_sign_in_answers_no_profile_for_a_missing_user_or_one_without_a_password(emulator, iam):
    iam.update_account_password_policy(MaxPasswordAge=1)
    iam.create_user(UserName="bob")

    assert sign_in(emulator, user_name="nobody") == NO_PROFILE
    assert sign_in(emulator, user_name="bob") == NO_PROFILE
    iam.create_login_profile(UserName="bob", Password=PASSWORD)
    iam.delete_login_profile(UserName="bob")
    move_clock(emulator, days=2)
    assert sign_in(emulator, user_name="bob") == NO_PROFILE


def test_sign_in_answers_wrong_password_before_judging_the_age(emulator, iam, alice):
    iam.update_account_password_policy(MaxPasswordAge=1, HardExpiry=True)
    assert sign_in(emulator, PASSWORD + "x") == WRONG_PASSWORD

    move_clock(emulator, days=2)

    assert sign_in(emulator, PASSWORD + "x") == WRONG_PASSWORD
    assert sign_in(emulator, "") == WRONG_PASSWORD


def test_a_password_expires_max_password_age_days_after_it_was_set(emulator, iam, alice):
    iam.update_account_password_policy(MaxPasswordAge=90)

    move_clock(emulator, days=90, seconds=-60)
    assert sign_in(emulator) == SIGNED_IN

    move_clock(emulator, days=90, seconds=60)
    assert sign_in(emulator) == EXPIRED


@pytest.mark.parametrize(("hard", "answer"), [(False, EXPIRED), (True, EXPIRED_HARD)])
def test_an_expired_sign_in_tells_the_policys_hard_expiry(emulator, iam, alice, hard, answer):
    iam.update_account_password_policy(MaxPasswordAge=30, HardExpiry=hard)
    move_clock(emulator, days=31)

    assert sign_in(emulator) == answer


def test_no_password_expires_without_max_password_age(emulator, iam, alice):
    iam.update_account_password_policy(MinimumPasswordLength=8, HardExpiry=True)
    move_clock(emulator, days=1095 * 2)
    assert sign_in(emulator) == SIGNED_IN

    iam.update_account_password_policy(MaxPasswordAge=1)
    assert sign_in(emulator) == EXPIRED

    iam.delete_account_password_policy()
    assert sign_in(emulator) == SIGNED_IN


def test_an_expired_sign_in_is_not_a_use_of_the_password(emulator, iam, alice):
    iam.update_account_password_policy(MaxPasswordAge=1)
    move_clock(emulator, days=2)

    assert sign_in(emulator) == EXPIRED

    assert "PasswordLastUsed" not in iam.get_user(UserName="alice")["User"]
    assert "PasswordLastUsed" not in iam.list_users()["Users"][0]
    assert row(iam)["password_last_used"] == "no_information"


def test_an_administrators_update_with_a_password_ends_the_expiry(emulator, iam, alice):
    iam.update_account_password_policy(MaxPasswordAge=90, HardExpiry=True)
    move_clock(emulator, days=91)
    assert sign_in(emulator) == EXPIRED_HARD
    before = shifted(91 * DAY, cut=True)

    iam.update_login_profile(UserName="alice", Password=NEW_PASSWORD)

    assert sign_in(emulator, NEW_PASSWORD) == SIGNED_IN
    assert before <= stamp(row(iam)["password_last_changed"]) <= shifted(91 * DAY)
    assert before <= iam.get_user(UserName="alice")["User"]["PasswordLastUsed"] <= shifted(91 * DAY)
    # Its new age runs out in turn.
    move_clock(emulator, days=182)
    assert sign_in(emulator, NEW_PASSWORD) == EXPIRED_HARD


def test_a_flag_only_update_does_not_end_the_expiry(emulator, iam, alice):
    iam.update_account_password_policy(MaxPasswordAge=90)
    move_clock(emulator, days=91)

    iam.update_login_profile(UserName="alice", PasswordResetRequired=True)

    assert sign_in(emulator) == EXPIRED


def test_the_users_own_change_password_ends_the_expiry(emulator, iam, alice):
    iam.update_account_password_policy(MaxPasswordAge=90)
    move_clock(emulator, days=91)
    assert sign_in(emulator) == EXPIRED

    emulator.client(credentials=alice).change_password(OldPassword=PASSWORD, NewPassword=NEW_PASSWORD)

    assert sign_in(emulator, NEW_PASSWORD) == SIGNED_IN


def test_a_login_profile_created_anew_starts_a_new_age(emulator, iam, alice):
    iam.update_account_password_policy(MaxPasswordAge=90)
    move_clock(emulator, days=91)
    iam.delete_login_profile(UserName="alice")

    iam.create_login_profile(UserName="alice", Password=PASSWORD)

    assert sign_in(emulator) == SIGNED_IN


def test_moving_the_clock_back_makes_a_password_younger_and_crashes_nothing(emulator, iam, alice):
    iam.update_account_password_policy(MaxPasswordAge=1)
    move_clock(emulator, days=-30)

    assert sign_in(emulator) == SIGNED_IN
    assert row(iam)["password_next_rotation"] == (
        stamp(row(iam)["password_last_changed"]) + timedelta(days=1)
    ).strftime(REPORT_DATE)
