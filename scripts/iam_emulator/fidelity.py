"""Corrections of moto 5.2.5 where its IAM login profiles (and the credential report that shows
them, and the password policy's MaxPasswordAge) depart from AWS's documented behaviour.

Each correction is one function below whose docstring quotes the AWS rule and says what moto 5.2.5
does instead (read in moto/iam/models.py and responses.py, and seen against the raw server). They
patch moto's ``IAMBackend`` and ``IamResponse`` classes, so they are pinned to moto 5.2.5:
``server.py`` refuses any other version. ``--raw`` skips ``install()``, which shows the tests that
depend on a correction failing on moto as it ships.
"""

from typing import Any, Callable, Optional

from moto.core.responses import ActionResult
from moto.iam.exceptions import DeleteConflictException, ReportNotPresentException, ValidationError
from moto.iam.models import IAMBackend, User
from moto.iam.responses import IamResponse

from . import expiry
from .clock import utcnow

PASSWORD_PATTERN = "[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+"
PASSWORD_MAX_LENGTH = 128
# The credential report's timestamps, as moto writes them and as AWS's reports read
# ("2014-09-01T22:28:48+00:00", the real row quoted in moto's User.to_csv).
REPORT_DATE_FORMAT = "%Y-%m-%dT%H:%M:%S+00:00"
# GenerateCredentialReport's sample response in the IAM API Reference.
REPORT_STARTED = "No report exists. Starting a new report generation task"


def install(report_max_age: Callable[[], float]) -> None:
    """Applies every correction (once per process). ``report_max_age()`` is the setting
    credentialReportMaxAgeSeconds, read on every GenerateCredentialReport."""
    _create_login_profile()
    _update_login_profile()
    _password_validation()
    _delete_user()
    _get_login_profile()
    _credential_report_password_columns()
    _credential_report_snapshot(report_max_age)
    _max_password_age_range()


def _profile(user: User) -> dict[str, Any]:
    """The LoginProfile structure AWS returns: the profile's own date and the flag, always present."""
    return {
        "UserName": user.name,
        "CreateDate": getattr(user, "login_profile_create_date", user.create_date),
        "PasswordResetRequired": bool(user.password_reset_required),
    }


def _create_login_profile() -> None:
    """(a) CreateLoginProfile honours PasswordResetRequired and reports the profile's creation time.

    AWS, CreateLoginProfile: "PasswordResetRequired: Specifies whether the user is required to set
    a new password on next sign-in." LoginProfile data type: "CreateDate: The date when the
    password for the user was created."

    moto 5.2.5 never reads PasswordResetRequired (the response shows whatever flag the user object
    last had, False on a new user), and answers with ``user.create_date``, the user's creation date.
    DeleteLoginProfile is corrected alongside so that a new profile starts from a clean flag.
    """
    original_create = IAMBackend.create_login_profile
    original_delete = IAMBackend.delete_login_profile

    def create_login_profile(
        self: IAMBackend, user_name: str, password: str, password_reset_required: bool = False
    ) -> User:
        user = original_create(self, user_name, password)
        user.password_reset_required = bool(password_reset_required)
        user.login_profile_create_date = utcnow()
        return user

    def delete_login_profile(self: IAMBackend, user_name: str) -> None:
        original_delete(self, user_name)
        user = self.get_user(user_name)
        user.password_reset_required = False
        user.__dict__.pop("login_profile_create_date", None)

    def create_login_profile_response(self: IamResponse) -> ActionResult:
        password = self._get_param("Password")
        validate_password(password, required=True)
        user = self.backend.create_login_profile(
            self._get_param("UserName"), password, self._get_param("PasswordResetRequired")
        )
        return ActionResult({"LoginProfile": _profile(user)})

    IAMBackend.create_login_profile = create_login_profile
    IAMBackend.delete_login_profile = delete_login_profile
    IamResponse.create_login_profile = create_login_profile_response


def _update_login_profile() -> None:
    """(b) UpdateLoginProfile changes only what the request names.

    AWS, UpdateLoginProfile: both parameters are optional ("Required: No"): "Password: The new
    password for the specified IAM user." and "PasswordResetRequired: Allows this new password to be
    used only once by requiring the specified IAM user to set a new password on next sign-in." The
    service model types this PasswordResetRequired as a nullable ``booleanObjectType`` (Create's is
    a plain ``booleanType``): omitted means unchanged, not false. Removing a password is
    DeleteLoginProfile's job.

    moto 5.2.5 assigns both parameters unconditionally: with PasswordResetRequired alone it sets
    the password to None, which deletes the profile (GetLoginProfile then answers NoSuchEntity);
    with Password alone it sets the flag to None, so GetLoginProfile omits PasswordResetRequired.
    """

    def update_login_profile(
        self: IAMBackend,
        user_name: str,
        password: Optional[str],
        password_reset_required: Optional[bool],
    ) -> User:
        user = self.get_login_profile(user_name)
        if password is not None:
            user.password = password
        if password_reset_required is not None:
            user.password_reset_required = bool(password_reset_required)
        return user

    IAMBackend.update_login_profile = update_login_profile


def _password_validation() -> None:
    """(c) Passwords outside the documented constraints answer ValidationError (HTTP 400).

    AWS, CreateLoginProfile and UpdateLoginProfile, Password: "Length Constraints: Minimum length
    of 1. Maximum length of 128. Pattern: [\\u0009\\u000A\\u000D\\u0020-\\u00FF]+". IAM rejects a
    value that breaks a constraint with ValidationError, "1 validation error detected: Value at
    'password' failed to satisfy constraint: …"; the value of a sensitive member is not echoed.

    moto 5.2.5 checks nothing: an empty password "creates" a profile that GetLoginProfile then
    says does not exist, and 129 characters or U+0100 are stored as given.
    """
    original_update_response = IamResponse.update_login_profile

    def update_login_profile_response(self: IamResponse) -> Any:
        validate_password(self._get_param("Password"), required=False)
        return original_update_response(self)

    IamResponse.update_login_profile = update_login_profile_response


def validate_password(password: Optional[str], required: bool, member: str = "password") -> None:
    """ValidationError unless the password meets IAM's constraints (``member`` names the parameter
    as IAM's message does: ``password``, or ChangePassword's ``oldPassword``/``newPassword``)."""
    if password is None:
        if required:
            raise ValidationError(
                f"1 validation error detected: Value null at '{member}' failed to satisfy "
                "constraint: Member must not be null"
            )
        return
    failures = []
    if len(password) < 1:
        failures.append("Member must have length greater than or equal to 1")
    if len(password) > PASSWORD_MAX_LENGTH:
        failures.append(f"Member must have length less than or equal to {PASSWORD_MAX_LENGTH}")
    if any(not _allowed(ch) for ch in password):
        failures.append(f"Member must satisfy regular expression pattern: {PASSWORD_PATTERN}")
    if failures:
        count = f"{len(failures)} validation error{'s' if len(failures) > 1 else ''} detected"
        details = "; ".join(
            f"Value at '{member}' failed to satisfy constraint: {f}" for f in failures
        )
        raise ValidationError(f"{count}: {details}")


def _allowed(ch: str) -> bool:
    return ch in "\t\n\r" or "\u0020" <= ch <= "\u00ff"


def _delete_user() -> None:
    """(d) DeleteUser fails with DeleteConflict (HTTP 409) while the user has a login profile.

    AWS, DeleteUser: "Before attempting to delete a user, remove the following items: Password
    (DeleteLoginProfile), …" and DeleteConflict: "The request was rejected because it attempted to
    delete a resource that has attached subordinate entities. The error message describes these
    entities." (HTTP 409). The message is IAM's as its users quote it: "Cannot delete entity, must
    delete login profile first." (moto uses the same form for attached policies).

    moto 5.2.5 refuses only while policies are attached; it deletes a user with a login profile.
    """
    original = IAMBackend.delete_user

    def delete_user(self: IAMBackend, user_name: str) -> None:
        if self.get_user(user_name).password:
            raise DeleteConflictException("Cannot delete entity, must delete login profile first.")
        original(self, user_name)

    IAMBackend.delete_user = delete_user


def _get_login_profile() -> None:
    """(e) GetLoginProfile reports PasswordResetRequired, and the profile's date.

    AWS, GetLoginProfile returns a LoginProfile: "PasswordResetRequired: Specifies whether the user
    is required to set a new password on next sign-in." and "CreateDate: The date when the password
    for the user was created."

    moto 5.2.5 reports the user's creation date, and the flag as the user object holds it: False
    from a Create that asked for True (see (a)), and no PasswordResetRequired at all after an
    UpdateLoginProfile with Password alone (see (b)).
    """

    def get_login_profile_response(self: IamResponse) -> ActionResult:
        user = self.backend.get_login_profile(self._get_param("UserName"))
        return ActionResult({"LoginProfile": _profile(user)})

    IamResponse.get_login_profile = get_login_profile_response


def _credential_report_password_columns() -> None:
    """(f) The credential report dates a password by its last set, says when the policy makes the
    user set a new one, and says N/A without a password.

    AWS, IAM User Guide, "Generate credential reports for your AWS account" (the report format):
    "password_last_changed: The date and time when the user's password was last set, in ISO 8601
    date-time format. If the user does not have a password, the value in this field is N/A (not
    applicable)." and "password_last_used: … The value in this field is no_information in these
    cases: The user's password has never been used. … The value in this field is N/A (not
    applicable) when the user does not have a password." and "password_next_rotation: When the
    account has a password policy that requires password rotation, this field contains the date and
    time, in ISO 8601 date-time format, when the user is required to set a new password." That is
    password_last_changed + MaxPasswordAge days (``expiry``). Otherwise, with no password or no
    MaxPasswordAge in the policy, a real report writes N/A: the real row moto quotes in User.to_csv
    reads "…,2014-09-03T18:59:00+00:00,N/A,false,…" for a user with a password. (The root row's
    not_supported is moot: moto's report has no root row.) A password is set by
    CreateLoginProfile, by UpdateLoginProfile with Password (a flag-only update keeps the date) and
    by ChangePassword (``passwords``).

    moto 5.2.5 writes the user's creation date as password_last_changed, with or without a
    password, not_supported as password_last_used when there is none, and not_supported as
    password_next_rotation always. Its password_enabled ("When the user has a password, this value
    is TRUE. Otherwise it is FALSE."; moto writes true/false, as real reports do) and mfa_active
    are right and kept.
    """
    original_create = IAMBackend.create_login_profile
    original_update = IAMBackend.update_login_profile
    original_report = IAMBackend.get_credential_report

    def create_login_profile(self: IAMBackend, user_name: str, password: str, *rest: Any) -> User:
        user = original_create(self, user_name, password, *rest)
        user.password_last_changed = utcnow()
        return user

    def update_login_profile(
        self: IAMBackend, user_name: str, password: Optional[str], *rest: Any
    ) -> User:
        user = original_update(self, user_name, password, *rest)
        if password is not None:
            user.password_last_changed = utcnow()
        return user

    def get_credential_report(self: IAMBackend) -> str:
        # moto's report (or its ReportNotPresent): a header line, then User.to_csv of each user in
        # the order of self.users.
        header, *rows = original_report(self).splitlines(keepends=True)
        policy = self.account_password_policy
        return header + "".join(
            _report_row(row, user, policy)
            for row, user in zip(rows, self.users.values(), strict=True)
        )

    IAMBackend.create_login_profile = create_login_profile
    IAMBackend.update_login_profile = update_login_profile
    IAMBackend.get_credential_report = get_credential_report


def _report_row(row: str, user: User, policy: Optional[Any]) -> str:
    """moto's report row for ``user``, with the password columns as AWS fills them."""
    # User names may hold commas (and so may the ARN); the 20 columns after them never do.
    head, *columns = row.rstrip("\n").rsplit(",", 20)
    # columns: user_creation_time, password_enabled, password_last_used, password_last_changed,
    # password_next_rotation, mfa_active, …
    if user.password:
        columns[3] = expiry.last_set(user).strftime(REPORT_DATE_FORMAT)
        rotation = expiry.next_rotation(user, policy)
        columns[4] = "N/A" if rotation is None else rotation.strftime(REPORT_DATE_FORMAT)
    else:
        columns[2] = columns[3] = columns[4] = "N/A"
    return ",".join([head, *columns]) + "\n"


def _credential_report_snapshot(max_age: Callable[[], float]) -> None:
    """(g) GenerateCredentialReport takes a snapshot, kept for four hours; Get returns it.

    AWS, IAM User Guide, "Generate credential reports for your AWS account": "You can generate a
    credential report as often as once every four hours. When you request a report, IAM first
    checks whether a report for the AWS account has been generated within the past four hours. If
    so, the most recent report is downloaded. If the most recent report for the account is older
    than four hours, or if there are no previous reports for the account, IAM generates and
    downloads a new report." GenerateCredentialReport's State is "STARTED | INPROGRESS | COMPLETE";
    its sample response is STARTED with "No report exists. Starting a new report generation task".
    GetCredentialReport: "GeneratedTime: The date and time when the credential report was created";
    "ReportNotPresent: The request was rejected because the credential report does not exist. To
    generate a credential report, use GenerateCredentialReport." (HTTP 410).

    Here a report is made at once (no INPROGRESS, no ReportInProgress): GenerateCredentialReport
    answers STARTED, with the sample's description, when it makes a new snapshot (no report yet,
    or the last one at least credentialReportMaxAgeSeconds old: AWS answered the same once its old
    report had lapsed, as quoted in prowler-cloud/prowler#272), and COMPLETE when the last one is
    younger. A kept report never expires for GetCredentialReport (no ReportExpired). Its age, and
    GeneratedTime, are read on IAM's clock (``clock``): moving the clock past the max age makes the
    next Generate take a new report; moving it back leaves the kept one younger, so it is kept.

    moto 5.2.5 answers STARTED once and COMPLETE ever after, and GetCredentialReport rebuilds the
    report from live data on every call, with GeneratedTime fixed at 2015-02-02T20:02:02Z. Its
    ReportNotPresent (410, "Credential report not present") before any Generate is kept.
    """

    def generate_credential_report_response(self: IamResponse) -> ActionResult:
        now = utcnow()
        snapshot = getattr(self.backend, "credential_report_snapshot", None)
        if snapshot is not None and (now - snapshot[0]).total_seconds() < max_age():
            return ActionResult({"State": "COMPLETE"})
        self.backend.generate_report()  # moto's flag, which its get_credential_report requires
        # On the backend, so that moto's reset (POST /_emulator/reset) forgets it too.
        self.backend.credential_report_snapshot = (now, self.backend.get_credential_report())
        return ActionResult({"State": "STARTED", "Description": REPORT_STARTED})

    def get_credential_report_response(self: IamResponse) -> ActionResult:
        snapshot = getattr(self.backend, "credential_report_snapshot", None)
        if snapshot is None:
            raise ReportNotPresentException("Credential report not present")
        generated, content = snapshot
        return ActionResult(
            {
                "Content": content,
                "ReportFormat": "text/csv",
                # AWS's sample: "<GeneratedTime>2014-08-28T21:42:50Z</GeneratedTime>".
                "GeneratedTime": generated.replace(microsecond=0),
            }
        )

    IamResponse.generate_credential_report = generate_credential_report_response
    IamResponse.get_credential_report = get_credential_report_response


def _max_password_age_range() -> None:
    """(h) UpdateAccountPasswordPolicy refuses a MaxPasswordAge below 1 (ValidationError, 400).

    AWS, UpdateAccountPasswordPolicy: "MaxPasswordAge: The number of days that an IAM user password
    is valid. […] Valid Range: Minimum value of 1. Maximum value of 1095." Leaving it out is how a
    policy sets no expiry ("the operation uses the default value of 0. The result is that IAM user
    passwords never expire.").

    moto 5.2.5 refuses 1096 and above, in IAM's form ('1 validation error detected: Value "1096"
    at "maxPasswordAge" failed to satisfy constraint: Member must have value less than or equal to
    1095') and keeps MaxPasswordAge and HardExpiry for GetAccountPasswordPolicy (nothing to correct
    there), but takes 0 (or less) as no expiry. The lower bound is refused here, in moto's form.
    """
    original = IamResponse.update_account_password_policy

    def update_account_password_policy_response(self: IamResponse) -> Any:
        age = self._get_int_param("MaxPasswordAge")
        if age is not None and age < 1:
            raise ValidationError(
                f'1 validation error detected: Value "{age}" at "maxPasswordAge" failed to satisfy '
                "constraint: Member must have value greater than or equal to 1"
            )
        return original(self)

    IamResponse.update_account_password_policy = update_account_password_policy_response
