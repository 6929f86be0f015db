import * as pulumi from "@pulumi/pulumi";
import { listLoginProfilesOutput, LoginProfile } from "pulumi-iam-login-profile";

const config = new pulumi.Config();

// The member accounts, and the role this program assumes in each (see the trust policy in the docs).
const accounts = config.requireObject<string[]>("accounts");
const roleName = config.get("roleName") ?? "OrganizationBreakGlass";
const externalId = config.getSecret("externalId");
const userName = config.get("breakGlassUser") ?? "breakglass";
// The break-glass password is sealed to this key: nobody reads it until the glass is broken.
const pgpKey = config.require("pgpKey");

/** The break-glass profile, and the account's console users, in one account (the program's own when no role). */
function breakGlass(name: string, accountId?: string) {
    const assumeRole = accountId
        ? { roleArn: `arn:aws:iam::${accountId}:role/${roleName}`, ...(externalId ? { externalId } : {}) }
        : undefined;
    const profile = new LoginProfile(name, { userName, pgpKey, passwordResetRequired: true, assumeRole });
    // Listed once the profile is in place (the list waits for its account), so that it is the
    // account as this run leaves it: the credential report, brought up to date by the event history.
    const inventory = profile.accountId.apply(() => listLoginProfilesOutput({ assumeRole }));
    const consoleUsers = pulumi.unsecret(inventory.profiles.apply((users) => users.map((user) => user.userName)));
    return {
        accountId: profile.accountId,
        keyFingerprint: profile.keyFingerprint,
        // base64 --decode | gpg --decrypt, when the glass is broken.
        encryptedPassword: profile.encryptedPassword,
        // Every console user of the account, the break-glass user among them.
        consoleUsers,
        // The console users other than the break-glass user: each one is a finding.
        findings: consoleUsers.apply((users) => users.filter((user) => user.toLowerCase() !== userName.toLowerCase())),
    };
}

// The account of the program's own credentials (the organization's management account) unless told
// not to, and each member account through its role.
const own = (config.getBoolean("includeOwnAccount") ?? true) ? { own: breakGlass("breakglass-own") } : {};
export const breakGlassProfiles = {
    ...own,
    ...Object.fromEntries(accounts.map((accountId) => [accountId, breakGlass(`breakglass-${accountId}`, accountId)])),
};
