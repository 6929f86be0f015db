"""The console password of IAM user alice, through the iam-login-profile provider plugin."""
import pulumi
import pulumi_iam_login_profile as lp

alice = lp.LoginProfile(
    "alice",
    user_name="alice",
    password=pulumi.Config().require_secret("password"),
    password_reset_required=True,
)
current = lp.get_login_profile_output(user_name=alice.user_name)

pulumi.export("createDate", alice.create_date)
pulumi.export("passwordResetPending", current.password_reset_required)
