// The console password of IAM user alice, through the iam-login-profile provider plugin.
package main

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"

	lp "github.com/pulumi-iam-login-profile/pulumi-iam-login-profile/sdk/go/iamloginprofile"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		alice, err := lp.NewLoginProfile(ctx, "alice", &lp.LoginProfileArgs{
			UserName:              pulumi.String("alice"),
			Password:              config.RequireSecret(ctx, "password"),
			PasswordResetRequired: pulumi.Bool(true),
		})
		if err != nil {
			return err
		}
		// Go names the function LookupLoginProfile: GetLoginProfile is the resource's own getter.
		current := lp.LookupLoginProfileOutput(ctx, lp.LookupLoginProfileOutputArgs{UserName: alice.UserName})
		ctx.Export("createDate", alice.CreateDate)
		ctx.Export("passwordResetPending", current.PasswordResetRequired())
		return nil
	})
}
