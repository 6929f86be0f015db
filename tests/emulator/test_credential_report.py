"""The credential report (GenerateCredentialReport / GetCredentialReport), as AWS documents it.

Every test here fails on moto 5.2.5 as it ships (run with IAM_EMULATOR_RAW=1 to see it), except
those marked as guards: they pin down what moto already does right, or what the control API adds.
The report's timestamps have second precision, so a test that needs two of them to differ sleeps
past a second.
"""

import csv
import io
import json
import time
import urllib.request
from datetime import datetime, timezone

import pytest
from botocore.exceptions import ClientError

from conftest import error_of

PASSWORD = "Corr3ct-Horse-Battery"
OTHER_PASSWORD = "An0ther-Horse-Battery"
STARTED = {
    "State": "STARTED",
    "Description": "No report exists. Starting a new report generation task",
}
PAST_A_SECOND = 1.1


@pytest.fixture
def user(iam):
    iam.create_user(UserName="alice")
    return "alice"


def generate(iam):
    answer = iam.generate_credential_report()
    answer.pop("ResponseMetadata")
    return answer


def report(iam):
    """(GeneratedTime, {user name: row}) of GetCredentialReport."""
    answer = iam.get_credential_report()
    rows = csv.DictReader(io.StringIO(answer["Content"].decode()))
    return answer["GeneratedTime"], {row["user"]: row for row in rows}


def row(iam, user_name):
    """The user's row in a freshly generated report (the test sets a max age of 0)."""
    generate(iam)
    return report(iam)[1][user_name]


def now():
    return datetime.now(timezone.utc).replace(microsecond=0)


def sign_in(emulator, user_name, password):
    body = json.dumps({"userName": user_name, "password": password}).encode()
    request = urllib.request.Request(f"{emulator.endpoint}/_emulator/sign-in", body, method="POST")
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())["signedIn"]


# The password columns


def test_password_last_changed_is_when_create_login_profile_set_the_password(emulator, iam, user):
    emulator.configure(credentialReportMaxAgeSeconds=0)
    time.sleep(PAST_A_SECOND)
    before = now()

    iam.create_login_profile(UserName=user, Password=PASSWORD)

    alice = row(iam, user)
    changed = datetime.fromisoformat(alice["password_last_changed"])
    assert before <= changed <= now()
    assert changed > datetime.fromisoformat(alice["user_creation_time"])


def test_password_last_changed_moves_on_update_with_a_password(emulator, iam, user):
    emulator.configure(credentialReportMaxAgeSeconds=0)
    iam.create_login_profile(UserName=user, Password=PASSWORD)
    created = datetime.fromisoformat(row(iam, user)["password_last_changed"])
    time.sleep(PAST_A_SECOND)

    iam.update_login_profile(UserName=user, Password=OTHER_PASSWORD)

    assert datetime.fromisoformat(row(iam, user)["password_last_changed"]) > created


def test_password_last_changed_is_kept_by_update_with_password_reset_required_alone(
    emulator, iam, user
):
    emulator.configure(credentialReportMaxAgeSeconds=0)
    iam.create_login_profile(UserName=user, Password=PASSWORD)
    before = row(iam, user)
    time.sleep(PAST_A_SECOND)

    iam.update_login_profile(UserName=user, PasswordResetRequired=True)

    after = row(iam, user)
    assert after["password_enabled"] == "true"
    assert after["password_last_changed"] == before["password_last_changed"]


def test_password_columns_are_n_a_for_a_user_without_a_console_password(iam, user):
    generate(iam)

    alice = report(iam)[1][user]

    assert alice["password_enabled"] == "false"
    assert alice["password_last_used"] == "N/A"
    assert alice["password_last_changed"] == "N/A"


def test_password_columns_are_n_a_again_after_delete_login_profile(emulator, iam, user):
    emulator.configure(credentialReportMaxAgeSeconds=0)
    iam.create_login_profile(UserName=user, Password=PASSWORD)

    iam.delete_login_profile(UserName=user)

    alice = row(iam, user)
    assert (alice["password_last_used"], alice["password_last_changed"]) == ("N/A", "N/A")


def test_password_enabled_is_true_exactly_while_the_user_has_a_login_profile(emulator, iam, user):
    """Guard: moto gets this right; passes on raw moto too."""
    emulator.configure(credentialReportMaxAgeSeconds=0)
    assert row(iam, user)["password_enabled"] == "false"

    iam.create_login_profile(UserName=user, Password=PASSWORD)
    assert row(iam, user)["password_enabled"] == "true"

    iam.delete_login_profile(UserName=user)
    assert row(iam, user)["password_enabled"] == "false"


def test_password_last_used_is_the_last_successful_sign_in(emulator, iam, user):
    """Guard: the sign-in control call is the emulator's, not a moto correction; passes on raw."""
    emulator.configure(credentialReportMaxAgeSeconds=0)
    iam.create_login_profile(UserName=user, Password=PASSWORD)
    assert not sign_in(emulator, user, OTHER_PASSWORD)
    assert row(iam, user)["password_last_used"] == "no_information"
    before = now()

    assert sign_in(emulator, user, PASSWORD)

    assert before <= datetime.fromisoformat(row(iam, user)["password_last_used"]) <= now()
    last_used = iam.get_user(UserName=user)["User"]["PasswordLastUsed"]
    assert before <= last_used <= datetime.now(timezone.utc)


def test_a_second_sign_in_within_five_minutes_is_not_recorded(emulator, iam, user):
    """Guard: the sign-in control call is the emulator's, not a moto correction; passes on raw."""
    iam.create_login_profile(UserName=user, Password=PASSWORD)
    sign_in(emulator, user, PASSWORD)
    first = iam.get_user(UserName=user)["User"]["PasswordLastUsed"]

    sign_in(emulator, user, PASSWORD)

    assert iam.get_user(UserName=user)["User"]["PasswordLastUsed"] == first


# The report's life: a snapshot, kept for credentialReportMaxAgeSeconds (AWS: four hours)


def test_get_before_any_generate_is_report_not_present(iam):
    """Guard: moto answers the same; passes on raw moto too."""
    with pytest.raises(ClientError) as excinfo:
        iam.get_credential_report()

    assert error_of(excinfo) == (410, "ReportNotPresent", "Credential report not present")


def test_get_returns_the_report_as_generated_not_live_data(iam, user):
    assert generate(iam) == STARTED
    generated, rows = report(iam)

    iam.create_login_profile(UserName=user, Password=PASSWORD)

    assert report(iam) == (generated, rows)
    assert rows[user]["password_enabled"] == "false"


def test_generate_keeps_a_report_younger_than_the_max_age(iam, user):
    generate(iam)
    iam.create_login_profile(UserName=user, Password=PASSWORD)

    assert generate(iam) == {"State": "COMPLETE"}

    assert report(iam)[1][user]["password_enabled"] == "false"


def test_generate_replaces_a_report_as_old_as_the_max_age(emulator, iam, user):
    emulator.configure(credentialReportMaxAgeSeconds=1)
    generate(iam)
    first_generated = report(iam)[0]
    iam.create_login_profile(UserName=user, Password=PASSWORD)
    assert generate(iam) == {"State": "COMPLETE"}
    time.sleep(PAST_A_SECOND)

    assert generate(iam) == STARTED

    generated, rows = report(iam)
    assert generated > first_generated
    assert rows[user]["password_enabled"] == "true"


def test_a_max_age_of_zero_makes_every_generate_a_new_report(emulator, iam):
    emulator.configure(credentialReportMaxAgeSeconds=0)

    assert [generate(iam), generate(iam)] == [STARTED, STARTED]


def test_generated_time_is_when_the_report_was_made(iam):
    before = now()
    generate(iam)

    assert before <= report(iam)[0] <= now()


# The setting


@pytest.mark.parametrize("value", [-1, "14400", True, None])
def test_the_max_age_setting_must_be_a_number_at_least_zero(emulator, value):
    """Guard: settings exist in raw mode too; passes on raw moto."""
    status, body = emulator.control("POST", "config", {"credentialReportMaxAgeSeconds": value})

    assert (status, body) == (400, {"error": "credentialReportMaxAgeSeconds must be a number >= 0"})
    assert emulator.control("GET", "config")[1]["credentialReportMaxAgeSeconds"] == 14400


def test_reset_forgets_the_report_and_restores_the_max_age(emulator, iam):
    """Guard: moto's reset drops its own report flag too; passes on raw moto."""
    emulator.configure(credentialReportMaxAgeSeconds=0.5)
    generate(iam)

    emulator.control("POST", "reset")

    assert emulator.control("GET", "config")[1]["credentialReportMaxAgeSeconds"] == 14400
    with pytest.raises(ClientError, match="ReportNotPresent"):
        iam.get_credential_report()
