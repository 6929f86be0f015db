"""A local IAM emulator for this project's tests: moto's server, pinned, plus two thin layers.

- ``fidelity``: corrections where moto 5.2.5 departs from AWS's documented login-profile behaviour
  and credential report (on by default; ``--raw`` turns them off to show which tests depend on
  them).
- ``realism``: switchable eventual consistency, password-policy enforcement and fault injection,
  all off by default, set at run time through the control API (``control``).

Beside them: IAM's clock, which a test may move (``clock``, the setting clockOffsetSeconds), and
password expiry under the policy's MaxPasswordAge (``expiry``), which the credential report and the
control API's sign-in read.

Run it with ``python -m iam_emulator.server --port 0``.
"""

MOTO_VERSION = "5.2.5"
