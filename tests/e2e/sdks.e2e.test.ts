/**
 * The generated Go SDK (sdk/go), as far as this machine can take it: it compiles in a Go program
 * that declares a LoginProfile and calls both functions. No Go language host is served by the Go
 * module proxy here, so Go programs cannot run (see README); the Python SDK runs a real program in
 * plugin.e2e.test.ts.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { REPO, runTool } from "./harness";

jest.setTimeout(600_000);

let work: string;

beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), "lp-sdks-"));
});

afterAll(() => {
    fs.rmSync(work, { recursive: true, force: true });
});

test("the generated Go SDK compiles in a Go program that declares a LoginProfile and invokes both functions", () => {
    const dir = path.join(work, "go");
    fs.mkdirSync(dir);
    fs.writeFileSync(
        path.join(dir, "go.mod"),
        [
            "module example.com/loginprofiles",
            "",
            "go 1.25",
            "",
            "require github.com/pulumi-iam-login-profile/sdk v0.0.0",
            "",
            `replace github.com/pulumi-iam-login-profile/sdk => ${path.join(REPO, "sdk")}`,
            "",
        ].join("\n"),
    );
    fs.writeFileSync(
        path.join(dir, "main.go"),
        `package main

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	lp "github.com/pulumi-iam-login-profile/sdk/go/iamloginprofile"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		profile, err := lp.NewLoginProfile(ctx, "alice", &lp.LoginProfileArgs{
			UserName:              pulumi.String("alice"),
			Password:              pulumi.String("Choose-a-str0ng-one!"),
			PasswordResetRequired: pulumi.Bool(true),
		})
		if err != nil {
			return err
		}
		// Go names the function LookupLoginProfile: GetLoginProfile is the resource's own getter.
		found, err := lp.LookupLoginProfile(ctx, &lp.LookupLoginProfileArgs{UserName: "alice"})
		if err != nil {
			return err
		}
		all, err := lp.ListLoginProfiles(ctx, &lp.ListLoginProfilesArgs{})
		if err != nil {
			return err
		}
		ctx.Export("createDate", profile.CreateDate)
		ctx.Export("found", pulumi.String(found.CreateDate))
		existing, err := lp.GetLoginProfile(ctx, "auditor", pulumi.ID("auditor"), nil)
		if err != nil {
			return err
		}
		ctx.Export("auditorCreateDate", existing.CreateDate)
		ctx.Export("consoleUsers", pulumi.Int(len(all.Profiles)))
		return nil
	})
}
`,
    );
    const env = { ...process.env, GOWORK: "off", GOFLAGS: "-mod=mod", GOTOOLCHAIN: process.env.GOTOOLCHAIN ?? "local" };
    runTool("go", ["mod", "tidy"], dir, env);
    runTool("go", ["build", "-o", path.join(dir, "program"), "."], dir, env);

    expect(fs.statSync(path.join(dir, "program")).size).toBeGreaterThan(0);
});
