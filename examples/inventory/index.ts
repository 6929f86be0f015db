import * as pulumi from "@pulumi/pulumi";
import { getLoginProfileOutput, listLoginProfilesOutput, LoginProfile } from "pulumi-iam-login-profile";

const config = new pulumi.Config();

// The console users this stack manages.
const managed = (config.getObject<string[]>("managedUsers") ?? ["alice"]).map(
    (userName) => new LoginProfile(userName, { userName, passwordResetRequired: true }),
);

// Every IAM user of the account that can sign in to the console, as the account has it now: the IAM
// credential report (which AWS renews at most every four hours), brought up to date by CloudTrail's
// event history and ListUsers; a handful of AWS calls however many users there are.
const inventory = listLoginProfilesOutput();

// The console users no LoginProfile of this stack manages: candidates for review.
const managedNames = pulumi.all(managed.map((profile) => profile.userName));
export const unmanagedConsoleUsers = pulumi
    .all([inventory, managedNames])
    .apply(([all, names]) =>
        all.profiles
            .filter((user) => !names.some((name) => name.toLowerCase() === user.userName.toLowerCase()))
            .map((user) => ({ userName: user.userName, passwordLastUsed: user.passwordLastUsed ?? "never", mfaActive: user.mfaActive })),
    );
export const inventoryGeneratedAt = inventory.generatedAt;

// One profile read without managing it: refresh reads it again, destroy leaves it alone.
const auditor = config.get("auditor");
export const auditorProfile = auditor ? LoginProfile.get("auditor", auditor).createDate : undefined;
export const auditorResetPending = auditor ? getLoginProfileOutput({ userName: auditor }).passwordResetRequired : undefined;
