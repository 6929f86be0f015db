"""ChangePassword: an IAM user changing their own console password (moto 5.2.5 lacks the action).

AWS, ChangePassword: "Changes the password of the IAM user who is calling this operation. […] The
AWS account root user password is not affected by this operation." It takes OldPassword ("The IAM
user's current password") and NewPassword ("The new password must conform to the AWS account's
password policy, if one exists"), both 1 to 128 characters of [\\u0009\\u000A\\u000D\\u0020-\\u00FF].
It is what a user does at the forced first sign-in, so it also clears PasswordResetRequired, and
the credential report's password_last_changed moves (on IAM's clock, ``clock``), as for any
password set, which starts the password's age over (``expiry``).

The caller is the IAM user whose access key signed the request (one made with CreateAccessKey).
The errors, in the order they are checked:

- ValidationError (400) for a missing or malformed parameter, named ``oldPassword`` or
  ``newPassword`` as IAM names members, never echoing the value (``fidelity``'s check).
- InvalidUserType (400) when the key is no IAM user's (an assumed role's, the root's, an unknown
  one): the API reference lists it for ChangePassword as "the type of user for the transaction was
  incorrect", and the AWS CLI reference says a call with root credentials "returns an
  InvalidUserType error". The message is that description.
- NoSuchEntity (404) "Login Profile for User <name> cannot be found." when the user has no
  password, IAM's own message as its users quote it.
- InvalidUserType (400) "The old password is incorrect." for a wrong OldPassword: the API reference
  documents no error for that case; of the six it lists for ChangePassword
  (EntityTemporarilyUnmodifiable, InvalidUserType, LimitExceeded, NoSuchEntity,
  PasswordPolicyViolation, ServiceFailure) this is the one about the caller's credentials, and it
  is neither retried by the SDKs (as EntityTemporarilyUnmodifiable, LimitExceeded or
  ServiceFailure may be) nor read as "already gone" (as NoSuchEntity is). The message is the
  emulator's wording.
- PasswordPolicyViolation (400) when ``enforcePasswordPolicy`` is on and NewPassword breaks the
  account's policy (``policy.violation``, IAM's wording).

Passwords are compared in constant time, and never logged, stored beyond moto's own attribute or
answered.
"""

import hmac
from typing import Callable

from moto.core.responses import ActionResult, EmptyResult
from moto.iam.exceptions import IAMException, NotFoundException
from moto.iam.responses import IamResponse

from . import policy
from .clock import utcnow
from .fidelity import validate_password

NOT_AN_IAM_USER = "The request was rejected because the type of user for the transaction was incorrect."
WRONG_OLD_PASSWORD = "The old password is incorrect."


class InvalidUserType(IAMException):
    code = "InvalidUserType"


def install(enforce_policy: Callable[[], bool]) -> None:
    """Adds ChangePassword to moto's IAM; ``enforce_policy()`` is the setting enforcePasswordPolicy."""

    def change_password(self: IamResponse) -> ActionResult:
        old, new = self._get_param("OldPassword"), self._get_param("NewPassword")
        validate_password(old, required=True, member="oldPassword")
        validate_password(new, required=True, member="newPassword")
        user = self.backend.get_user_from_access_key_id(self.get_access_key())
        if user is None:
            raise InvalidUserType(NOT_AN_IAM_USER)
        if not user.password:
            raise NotFoundException(f"Login Profile for User {user.name} cannot be found.")
        if not hmac.compare_digest(user.password.encode(), old.encode()):
            raise InvalidUserType(WRONG_OLD_PASSWORD)
        if enforce_policy():
            broken = policy.violation(new, self.backend.account_password_policy)
            if broken:
                raise policy.PasswordPolicyViolation(broken)
        user.password = new
        user.password_reset_required = False
        # The credential report's password_last_changed (see fidelity's report columns), from
        # which the password's age starts over (see expiry).
        user.password_last_changed = utcnow()
        return EmptyResult()

    IamResponse.change_password = change_password
