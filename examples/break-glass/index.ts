import * as pulumi from "@pulumi/pulumi";
import { LoginProfile } from "pulumi-iam-login-profile";

const config = new pulumi.Config();

// The member accounts, and the role this program assumes in each (as in examples/organization).
const accounts = config.getObject<string[]>("accounts") ?? [];
const roleName = config.get("roleName") ?? "OrganizationBreakGlass";
const userName = config.get("breakGlassUser") ?? "breakglass";
// The custodians' OpenPGP public keys, one per person, in a fixed order: share i is sealed to key i.
// Another key, another order or another threshold generates a new password for the new custodians.
const custodianKeys = config.requireObject<string[]>("custodianKeys");
const threshold = config.getNumber("threshold") ?? 2;

/** The break-glass profile of one account: the program's own when no account id is given. */
function breakGlass(name: string, accountId?: string) {
    const profile = new LoginProfile(name, {
        userName,
        // No password: one is generated for the account's password policy, split among the
        // custodians, and kept whole nowhere, not even in state.
        pgpKeys: custodianKeys,
        threshold,
        // Opened once, then changed: a refresh that finds the password used shows drift, `up` rotates it.
        rotateAfterUse: true,
        // Changed by age too: `pulumi preview` sees it from state, with no AWS call.
        rotateAfter: config.get("rotateAfter") ?? "90d",
        // Changed before the account's MaxPasswordAge locks the custodians out (the default, written out).
        rotateBeforeExpiry: "14d",
        assumeRole: accountId ? { roleArn: `arn:aws:iam::${accountId}:role/${roleName}` } : undefined,
    });
    return {
        accountId: profile.accountId,
        passwordLastChanged: profile.passwordLastChanged,
        passwordExpiresAt: profile.passwordExpiresAt,
        passwordLastUsed: profile.passwordLastUsed,
        rotationDue: profile.rotationDue,
        // One { keyFingerprint, encryptedShare } per custodian, in the order of custodianKeys.
        encryptedShares: profile.encryptedShares,
    };
}

// The account of the program's own credentials, and each member account through its role.
export const breakGlassProfiles = {
    own: breakGlass("breakglass-own"),
    ...Object.fromEntries(accounts.map((accountId) => [accountId, breakGlass(`breakglass-${accountId}`, accountId)])),
};
