"""Corrections of moto 5.2.5 where its IAM login profiles depart from AWS's documented behaviour.

Each correction is one function below whose docstring quotes the AWS rule and says what moto 5.2.5
does instead (read in moto/iam/models.py and responses.py, and seen against the raw server). They
patch moto's ``IAMBackend`` and ``IamResponse`` classes, so they are pinned to moto 5.2.5:
``server.py`` refuses any other version. ``--raw`` skips ``install()``, which shows the tests that
depend on a correction failing on moto as it ships.
"""

from typing import Any, Optional

from moto.core.responses import ActionResult
from moto.core.utils import utcnow
from moto.iam.exceptions import DeleteConflictException, ValidationError
from moto.iam.models import IAMBackend, User
from moto.iam.responses import IamResponse

PASSWORD_PATTERN = "[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+"
PASSWORD_MAX_LENGTH = 128


def install() -> None:
    """Applies every correction (once per process)."""
    _create_login_profile()
    _update_login_profile()
    _password_validation()
    _delete_user()
    _get_login_profile()


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
        _validate_password(password, required=True)
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
        _validate_password(self._get_param("Password"), required=False)
        return original_update_response(self)

    IamResponse.update_login_profile = update_login_profile_response


def _validate_password(password: Optional[str], required: bool) -> None:
    if password is None:
        if required:
            raise ValidationError(
                "1 validation error detected: Value null at 'password' failed to satisfy "
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
            f"Value at 'password' failed to satisfy constraint: {f}" for f in failures
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
