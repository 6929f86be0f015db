"""The account password policy, enforced on CreateLoginProfile and UpdateLoginProfile (opt-in).

AWS, CreateLoginProfile / UpdateLoginProfile: PasswordPolicyViolation (HTTP 400), "The request was
rejected because the provided password did not meet the requirements imposed by the account
password policy." moto 5.2.5 stores the policy (UpdateAccountPasswordPolicy) but never applies it.

With no custom policy, the IAM User Guide ("Set an account password policy for IAM users"): "If
you do not set a custom password policy, IAM user passwords must meet the default AWS password
policy. The default password policy enforces the following conditions: Minimum password length of
8 characters and a maximum length of 128 characters; Minimum of three of the following mix of
character types: uppercase, lowercase, numbers, and non-alphanumeric character (! @ # $ % ^ & * ( )
_ + - = [ ] { } | '); Not be identical to your AWS account name or email address." The last rule
is not emulated (the emulator has no account name). Nor is PasswordReusePrevention.

Messages name the first rule broken, in IAM's wording ("Password should have at least one
uppercase letter"); the wording for the default policy's three-of-four rule is the emulator's own.
"""

from typing import Any, Callable, Optional

from moto.iam.exceptions import IAMException
from moto.iam.models import IAMBackend, User

# UpdateAccountPasswordPolicy, RequireSymbols: "at least one of the following non-alphanumeric
# characters: ! @ # $ % ^ & * ( ) _ + - = [ ] { } | '"
SYMBOLS = frozenset("!@#$%^&*()_+-=[]{}|'")
DEFAULT_MINIMUM_LENGTH = 8
# UpdateAccountPasswordPolicy, MinimumPasswordLength: "If you do not specify a value for this
# parameter, then the operation uses the default value of 6."
CUSTOM_DEFAULT_MINIMUM_LENGTH = 6


class PasswordPolicyViolation(IAMException):
    code = "PasswordPolicyViolation"


def violation(password: str, policy: Optional[Any]) -> Optional[str]:
    """The first rule of the account's policy (moto's AccountPasswordPolicy, or None for AWS's
    default) that the password breaks, as IAM words it; None when it complies."""
    classes = {
        "lowercase": any("a" <= ch <= "z" for ch in password),
        "uppercase": any("A" <= ch <= "Z" for ch in password),
        "number": any("0" <= ch <= "9" for ch in password),
        "symbol": any(ch in SYMBOLS for ch in password),
    }
    if policy is None:
        if len(password) < DEFAULT_MINIMUM_LENGTH:
            return f"Password should have a minimum length of {DEFAULT_MINIMUM_LENGTH}"
        if sum(classes.values()) < 3:
            return (
                "Password should have at least three of the following: uppercase letters, "
                "lowercase letters, numbers, symbols"
            )
        return None
    minimum = policy.minimum_password_length or CUSTOM_DEFAULT_MINIMUM_LENGTH
    if len(password) < minimum:
        return f"Password should have a minimum length of {minimum}"
    required = [
        (policy.require_lowercase_characters, "lowercase", "at least one lowercase letter"),
        (policy.require_uppercase_characters, "uppercase", "at least one uppercase letter"),
        (policy.require_numbers, "number", "at least one number"),
        (policy.require_symbols, "symbol", "at least one symbol"),
    ]
    for wanted, kind, rule in required:
        if wanted and not classes[kind]:
            return f"Password should have {rule}"
    return None


def install(enabled: Callable[[], bool]) -> None:
    """Wraps moto's Create/UpdateLoginProfile to check the password while ``enabled()`` is true.

    The check runs after the user (and, for an update, the profile) is found, as IAM reports a
    missing entity before judging the password, and after ``fidelity``'s parameter validation.
    """
    original_create = IAMBackend.create_login_profile
    original_update = IAMBackend.update_login_profile

    def check(backend: IAMBackend, password: Optional[str]) -> None:
        if password is None or not enabled():
            return
        broken = violation(password, backend.account_password_policy)
        if broken:
            raise PasswordPolicyViolation(broken)

    def create_login_profile(
        self: IAMBackend, user_name: str, password: str, *rest: Any
    ) -> User:
        self.get_user(user_name)
        check(self, password)
        return original_create(self, user_name, password, *rest)

    def update_login_profile(
        self: IAMBackend, user_name: str, password: Optional[str], *rest: Any
    ) -> User:
        self.get_login_profile(user_name)
        check(self, password)
        return original_update(self, user_name, password, *rest)

    IAMBackend.create_login_profile = create_login_profile
    IAMBackend.update_login_profile = update_login_profile
