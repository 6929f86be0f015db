/** The `LoginProfile` resource class a Pulumi program declares. */
import * as pulumi from "@pulumi/pulumi";
import type { AssumeRole } from "../model/account";
import type { EncryptedShare } from "../model/types";
import * as serializedProvider from "../serializedProvider";

/** A role to assume for the account's credentials, as inputs: see `AssumeRole`. */
export type AssumeRoleArgs = { readonly [K in keyof AssumeRole]: pulumi.Input<AssumeRole[K]> };

/**
 * Which AWS account a profile lives in: the role to assume and the shared-config profile of the
 * credentials. Each absent one is taken from stack config (`iam-login-profile:assumeRole`,
 * `aws:profile`), then the AWS SDK's default chain.
 */
export interface AccountArgs {
    /**
     * The role to assume (STS AssumeRole): the profile lives in the role ARN's account. Moving to
     * a role in another account replaces the profile (created in the new account, then deleted
     * from the old); a new `externalId`, `sessionName`, `durationSeconds`, or another role in the
     * same account changes nothing in IAM. The external id is kept as a secret.
     * @default stack config `iam-login-profile:assumeRole`, else none: the credentials are used as they are
     */
    readonly assumeRole?: pulumi.Input<AssumeRoleArgs>;
    /**
     * A shared-config or SSO profile name for the credentials (the source credentials of
     * `assumeRole`, when there is one).
     * @default stack config `aws:profile`, then the AWS SDK's default chain (AWS_PROFILE, …)
     */
    readonly profile?: pulumi.Input<string>;
}

/** The arguments of a LoginProfile. */
export interface LoginProfileArgs extends AccountArgs {
    /**
     * The IAM user whose console password this is: 1 to 64 of ASCII letters, digits and
     * `_+=,.@-`. A change replaces the profile (the old one is deleted first).
     */
    readonly userName: pulumi.Input<string>;
    /**
     * The console password: 1 to 128 characters, each a tab, line feed, carriage return or
     * U+0020 to U+00FF, and within the account's password policy. Always stored as a secret,
     * even when given as a plain string. A change sets the new password in place.
     * @default none: the resource generates a random password at create that satisfies the
     * account's password policy (see `passwordLength`, `rotationTrigger`)
     */
    readonly password?: pulumi.Input<string>;
    /**
     * The length of the generated password, 1 to 128; a declared length must also reach the
     * account password policy's minimum length (checked at create, when the policy is read). Only
     * with a generated password: given together with `password`, it is rejected. A change generates
     * a new password, in place.
     * @default 20, or the account password policy's minimum length when that is more
     */
    readonly passwordLength?: pulumi.Input<number>;
    /**
     * An opaque value: any change of it generates a new password, in place (a rotation). Only
     * with a generated password: given together with `password`, it is rejected.
     * @default none
     */
    readonly rotationTrigger?: pulumi.Input<string>;
    /**
     * An OpenPGP public key, armored (`-----BEGIN PGP PUBLIC KEY BLOCK-----`) or base64 of the
     * binary key, as Terraform's `pgp_key`. With it, the password is encrypted to the key
     * (`encryptedPassword`, `keyFingerprint`) and not kept in state at all, not even as a secret
     * (a declared password keeps only a salted hash, so that a change is still detected). A change
     * of the key generates a new password (a declared one is re-encrypted to the new key).
     * @default none: the password is kept in state as a secret output
     */
    readonly pgpKey?: pulumi.Input<string>;
    /**
     * Custodians' OpenPGP public keys, 2 to 10, armored or base64, for dual control of a break-glass
     * password: the generated password is split with Shamir's secret sharing, one share per key,
     * each encrypted to its key (`encryptedShares`); `threshold` of the custodians together open it
     * (`pulumi-iam-login-profile combine`), no one alone. Neither the password nor a share is kept
     * in state. Requires `threshold`; only with a generated password; not with `pgpKey`. A change of
     * the keys (or of their order) or of `threshold` generates a new password for the new custodians.
     * @default none
     */
    readonly pgpKeys?: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * How many of the `pgpKeys` custodians together open the password: a whole number from 2 to the
     * number of keys. Required with `pgpKeys`, and only with them.
     * @default none
     */
    readonly threshold?: pulumi.Input<number>;
    /**
     * How long before the password expires (the account password policy's MaxPasswordAge;
     * `passwordExpiresAt`) it counts as due: a duration, a whole number and d, h, m or s. A refresh,
     * or a preview from state, that finds a generated password expired or expiring within it shows
     * drift (`~password`), and the next `up` sets a new one in place; a declared password gets a
     * warning naming the user, the account and the date, since the resource cannot choose one.
     * @default "14d"
     */
    readonly rotateBeforeExpiry?: pulumi.Input<string>;
    /**
     * Rotate a generated password once it is older than this duration: a whole number and d, h, m
     * or s, such as "90d", "12h", "30m" or "45s". `pulumi preview` sees it from state with no AWS
     * call (`[diff: ~password]`), and `up` sets a new password in place. Only with a generated password.
     * @default none: the password is not rotated by age
     */
    readonly rotateAfter?: pulumi.Input<string>;
    /**
     * Rotate a generated password once it was used to sign in: a refresh that finds
     * `passwordLastUsed` later than the resource's last set shows drift (`~password`), and the next
     * `up` sets a new one in place. For break-glass passwords, which must not be used twice. Only
     * with a generated password.
     * @default false: a use shows in `passwordLastUsed` only
     */
    readonly rotateAfterUse?: pulumi.Input<boolean>;
    /**
     * Whether the user must set a new password at the next sign-in. AWS clears its flag once the
     * user does; that is tracked in `passwordResetPending`, not treated as drift.
     * @default false
     */
    readonly passwordResetRequired?: pulumi.Input<boolean>;
    /**
     * The region whose partition endpoint serves IAM (IAM itself is global).
     * @default stack config `aws:region`, then AWS_REGION / AWS_DEFAULT_REGION, then us-east-1
     */
    readonly region?: pulumi.Input<string>;
    /**
     * Take over a login profile the user already has, instead of failing: the declared password
     * and reset flag are set on it. Without this, an existing profile fails `pulumi up` with
     * EntityAlreadyExists, so that no password is overwritten by accident.
     * @default false
     */
    readonly adoptExisting?: pulumi.Input<boolean>;
}

/**
 * An IAM user's login profile (console password), managed in place: a new password or reset
 * flag updates it, a new user name replaces it. The password is declared, or generated to satisfy
 * the account's password policy; with a `pgpKey` it is kept out of state, encrypted to that key.
 */
export class LoginProfile extends pulumi.dynamic.Resource {
    /** The user name as AWS reports it; also the resource's id. */
    declare public readonly userName: pulumi.Output<string>;
    /** The password this resource last set (secret; AWS never returns it); undefined with a `pgpKey`. */
    declare public readonly password: pulumi.Output<string | undefined>;
    /**
     * With a `pgpKey`: the password encrypted to it, base64 of a binary OpenPGP message, as
     * Terraform's `encrypted_password` (`base64 --decode | gpg --decrypt` shows it).
     */
    declare public readonly encryptedPassword: pulumi.Output<string | undefined>;
    /** With a `pgpKey`: the fingerprint of the key the password is encrypted to, lower-case hex. */
    declare public readonly keyFingerprint: pulumi.Output<string | undefined>;
    /**
     * With `pgpKeys`: one share of the password per custodian, in the order of `pgpKeys`, each the
     * key's fingerprint and the share encrypted to it (base64 of a binary OpenPGP message:
     * `base64 --decode | gpg --decrypt` shows the share). `threshold` decrypted shares, given to
     * `pulumi-iam-login-profile combine`, print the password.
     */
    declare public readonly encryptedShares: pulumi.Output<EncryptedShare[] | undefined>;
    /** The reset flag as this resource last applied it. */
    declare public readonly passwordResetRequired: pulumi.Output<boolean>;
    /** The reset flag as AWS reports it now, refreshed on every read: false once the user has set a new password. */
    declare public readonly passwordResetPending: pulumi.Output<boolean>;
    /** When AWS created the profile, ISO 8601. */
    declare public readonly createDate: pulumi.Output<string>;
    /** The AWS account the profile lives in: the role ARN's, or the caller's. Part of its identity. */
    declare public readonly accountId: pulumi.Output<string>;
    /**
     * When the password was last used to sign in to the console, ISO 8601, as IAM's ListUsers
     * reports it (no four-hour delay), refreshed on every read; undefined when never used.
     */
    declare public readonly passwordLastUsed: pulumi.Output<string | undefined>;
    /**
     * Who changed the password outside Pulumi, and when, as CloudTrail's event history tells it:
     * "ARN (EventName at time)". Set by the refresh that finds the change; undefined otherwise, and
     * once the resource sets the password again.
     */
    declare public readonly passwordChangedBy: pulumi.Output<string | undefined>;
    /**
     * Until when a password change made outside Pulumi would have been seen, ISO 8601: when the
     * last refresh read the event history (events arrive within minutes), else when AWS made the
     * credential report it read (at most every four hours), else when the resource set the
     * password. A refresh that cannot see past the last set keeps it, and warns.
     */
    declare public readonly driftCheckedAt: pulumi.Output<string | undefined>;
    /**
     * When the password was last set, ISO 8601, on IAM's clock, as the credential report's
     * `password_last_changed`: what its age (`rotateAfter`) and expiry count from.
     */
    declare public readonly passwordLastChanged: pulumi.Output<string | undefined>;
    /**
     * When the password expires, ISO 8601, on IAM's clock: `passwordLastChanged` plus the account
     * password policy's MaxPasswordAge, refreshed on every read; undefined when the account sets
     * none (or, for a declared password, until the first refresh reads the credential report).
     */
    declare public readonly passwordExpiresAt: pulumi.Output<string | undefined>;
    /**
     * Why the next `up` sets a new generated password, as the last refresh found it: "expiring"
     * (expired, or within `rotateBeforeExpiry`), "aged" (older than `rotateAfter`) or "used"
     * (signed in with, with `rotateAfterUse`); undefined otherwise, and once the resource sets one.
     */
    declare public readonly rotationDue: pulumi.Output<string | undefined>;

    /**
     * Reads the existing login profile of IAM user `userName` into the program without managing
     * it, as Pulumi's `get` does for every resource: its outputs are what GetLoginProfile reports
     * (`userName`, `createDate`, `passwordResetRequired` as `passwordResetPending` too), never a
     * password. `pulumi refresh` reads it again; `pulumi destroy` never deletes it.
     * @param name the name of the resource in this program
     * @param userName the IAM user (the resource id)
     * @param opts the resource options
     * @param account the account to read it in (`assumeRole`, `profile`), as on the resource
     */
    public static get(
        name: string,
        userName: pulumi.Input<string>,
        opts?: pulumi.CustomResourceOptions,
        account?: AccountArgs,
    ): LoginProfile {
        return new LoginProfile(name, { userName, ...account }, { ...opts, id: userName });
    }

    constructor(name: string, args: LoginProfileArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            serializedProvider,
            name,
            {
                userName: args.userName,
                // Wrapped here so the password is a secret even when the caller passes a plain string.
                password: args.password === undefined ? undefined : pulumi.secret(args.password),
                passwordResetRequired: args.passwordResetRequired ?? false,
                // Optional inputs only when given: each property registered costs the program an
                // Output of its own (measured by the benchmark: 0.6 s of CPU per 100 resources in a preview).
                ...givenOnly({
                    passwordLength: args.passwordLength,
                    rotationTrigger: args.rotationTrigger,
                    pgpKey: args.pgpKey,
                    pgpKeys: args.pgpKeys,
                    threshold: args.threshold,
                    rotateBeforeExpiry: args.rotateBeforeExpiry,
                    rotateAfter: args.rotateAfter,
                    rotateAfterUse: args.rotateAfterUse,
                    region: args.region,
                    adoptExisting: args.adoptExisting,
                    assumeRole: args.assumeRole === undefined ? undefined : assumeRoleInput(args.assumeRole),
                    profile: args.profile,
                }),
                // Output-only properties, declared so that they exist on the resource object.
                passwordResetPending: undefined,
                createDate: undefined,
                encryptedPassword: undefined,
                keyFingerprint: undefined,
                accountId: undefined,
                passwordLastUsed: undefined,
                passwordChangedBy: undefined,
                driftCheckedAt: undefined,
                encryptedShares: undefined,
                passwordLastChanged: undefined,
                passwordExpiresAt: undefined,
                rotationDue: undefined,
            },
            // A generated password is an output only, so the engine's rule (an output is secret
            // when the input of that name is) cannot cover it. The hash is derived from a password.
            // The state's `assumeRole` may be the stack's, whose external id no input marks secret.
            pulumi.mergeOptions(opts, { additionalSecretOutputs: ["password", "passwordHash", "assumeRole"] }),
            "aws-iam",
            "LoginProfile",
        );
    }
}

/**
 * A declared role with its external id a secret and the rest in plain view, so that a diff shows
 * the role ARN. Given as an Output as a whole, the role is wrapped whole: what it is made of is
 * unknown until it resolves, and an Output made with a secret is secret as a whole.
 */
function assumeRoleInput(role: pulumi.Input<AssumeRoleArgs>): pulumi.Input<Record<string, unknown>> {
    if (pulumi.Output.isInstance(role) || role instanceof Promise) {
        return pulumi.output(role).apply((resolved) => ({ ...resolved }));
    }
    const declared = role;
    return givenOnly({
        roleArn: declared.roleArn,
        externalId: declared.externalId === undefined ? undefined : pulumi.secret(declared.externalId),
        sessionName: declared.sessionName,
        durationSeconds: declared.durationSeconds,
    });
}

/** The properties of `inputs` that are not undefined. */
function givenOnly(inputs: Record<string, unknown>): Record<string, unknown> {
    return Object.fromEntries(Object.entries(inputs).filter(([, value]) => value !== undefined));
}
