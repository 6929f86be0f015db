"""When a console password expires: the account password policy's MaxPasswordAge, counted from
the moment the password was last set.

moto 5.2.5 stores MaxPasswordAge and HardExpiry (UpdateAccountPasswordPolicy, and
GetAccountPasswordPolicy answers them) but nothing reads them. The AWS rules this module follows:

- IAM API Reference, UpdateAccountPasswordPolicy: "MaxPasswordAge: The number of days that an IAM
  user password is valid. If you do not specify a value for this parameter, then the operation uses
  the default value of 0. The result is that IAM user passwords never expire." (1 to 1095.)
- IAM User Guide, "Set an account password policy for IAM users": "You can select and specify a
  minimum of 1 and a maximum of 1,095 days that IAM user passwords are valid after they are set.
  […] When they set a new password, the expiration period for that password starts over." and
  "When you set a password expiration period, the expiration period is enforced immediately. […]
  the password expires for all IAM users whose existing password is older than 90 days." So the
  age counts from the last set, whenever the policy came, and a new policy applies to old
  passwords at once.
- IAM User Guide, credential report: "password_next_rotation: When the account has a password
  policy that requires password rotation, this field contains the date and time […] when the user
  is required to set a new password." So a password expires at last set + MaxPasswordAge days, and
  from that moment (not a day later) a sign-in is refused as expired.
- HardExpiry: "Prevents IAM users who are accessing the account via the AWS Management Console
  from setting a new console password after their password has expired. The IAM user cannot access
  the console until an administrator resets the password. […] If you do not specify a value […]
  IAM users can change their passwords after they expire and continue to sign in as the user."

A password is set by CreateLoginProfile, by UpdateLoginProfile with a Password (an administrator's
reset, which "starts over" the age; a flag-only update does not) and by ChangePassword: each
records ``password_last_changed`` on the user (``fidelity`` and ``passwords``), on IAM's clock
(``clock``). Under ``--raw`` the first two do not, and moto's stand-in for the last set is what its
own report shows, the user's creation date.
"""

from datetime import datetime, timedelta
from typing import Any, Optional

from moto.iam.models import User


def last_set(user: User) -> datetime:
    """When the user's password was last set (see the module's docstring)."""
    return getattr(user, "password_last_changed", None) or user.create_date


def next_rotation(user: User, policy: Optional[Any]) -> Optional[datetime]:
    """When the user's password expires under ``policy`` (moto's AccountPasswordPolicy, or None);
    None when the user has no password or the policy sets no MaxPasswordAge."""
    if not user.password or policy is None or not policy.max_password_age:
        return None
    return last_set(user) + timedelta(days=policy.max_password_age)


def is_expired(user: User, policy: Optional[Any], now: datetime) -> bool:
    """Whether the user's password has expired at ``now`` (IAM's clock, naive UTC)."""
    expires = next_rotation(user, policy)
    return expires is not None and now >= expires


def hard_expiry(policy: Optional[Any]) -> bool:
    """Whether only an administrator may reset an expired password (HardExpiry, false by default)."""
    return policy is not None and bool(policy.hard_expiry)
