import type { AssumeRole } from "./account";

/**
 * The shapes the provider hooks exchange with the Pulumi engine. The engine hands every hook
 * plain values (secrets unwrapped), so these are plain types, not `pulumi.Input`s.
 */

/** The inputs after `check` has validated and normalised them. */
export interface LoginProfileInputs {
    /** The IAM user whose console password this is; also the resource's id. */
    readonly userName: string;
    /** The console password to set; absent means "generate one". */
    readonly password?: string;
    /** The declared length of a generated password; absent means 20, or the policy's minimum if more. */
    readonly passwordLength?: number;
    /** An opaque value whose every change generates a new password; only with a generated password. */
    readonly rotationTrigger?: string;
    /** An OpenPGP public key, armored or base64, to encrypt the password to instead of storing it. */
    readonly pgpKey?: string;
    /** Custodians' OpenPGP public keys (2 to 10): the generated password is split among them, `threshold` to open it. */
    readonly pgpKeys?: readonly string[];
    /** How many of the `pgpKeys` custodians together open the password: 2 to their number. */
    readonly threshold?: number;
    /** How long before the password expires (the account's MaxPasswordAge) a generated one is rotated: a duration, "14d" by default. */
    readonly rotateBeforeExpiry?: string;
    /** A duration after which a generated password is rotated; only with a generated password. */
    readonly rotateAfter?: string;
    /** Rotate a generated password once it was used to sign in; only with a generated password. */
    readonly rotateAfterUse?: boolean;
    /** Whether the user must choose a new password at the next sign-in. */
    readonly passwordResetRequired: boolean;
    /** The region whose partition endpoint serves IAM; absent means "from configuration". */
    readonly region?: string;
    /** Take over a profile the user already has instead of failing with EntityAlreadyExists. */
    readonly adoptExisting?: boolean;
    /** The role to assume for the profile's account; absent means the provider's or stack's, then none. */
    readonly assumeRole?: AssumeRole;
    /** The shared-config profile for the credentials; absent means the provider's or stack's, then the default chain. */
    readonly profile?: string;
}

/** The outputs stored in state; `diff`, `read`, `update` and `delete` receive these as "olds". */
export interface LoginProfileState {
    /** The user name as AWS reports it. */
    readonly userName: string;
    /** The password this resource last set; AWS never returns it. Absent with a `pgpKey`. */
    readonly password?: string;
    /** The reset flag as this resource last applied it. */
    readonly passwordResetRequired: boolean;
    /** The reset flag as AWS reported it at the last create, update or read. */
    readonly passwordResetPending: boolean;
    /** When AWS created the profile, ISO 8601. */
    readonly createDate: string;
    /** The region the resource was last applied with, when one was declared. */
    readonly region?: string;
    /**
     * The AWS account the profile lives in: the role ARN's, or the caller's. Absent in a state
     * written before accounts were tracked (the next read fills it in).
     */
    readonly accountId?: string;
    /** The role the profile's account was reached through at the last create or update (declared, or the provider's or stack's). */
    readonly assumeRole?: AssumeRole;
    /** The shared-config profile the credentials came from at the last create or update. */
    readonly profile?: string;
    /**
     * The `passwordLength` the password was generated for (20 when it was omitted, even if the
     * policy made the password longer); present exactly when the resource generated it.
     */
    readonly passwordLength?: number;
    /** The `rotationTrigger` the generated password was made for, when one was declared. */
    readonly rotationTrigger?: string;
    /** The public key the password was encrypted to, as declared. */
    readonly pgpKey?: string;
    /** With a `pgpKey`: the password encrypted to it, base64 of a binary OpenPGP message. */
    readonly encryptedPassword?: string;
    /** With a `pgpKey`: the fingerprint of that key, lower-case hex. */
    readonly keyFingerprint?: string;
    /** The custodians' public keys the password was split among, as declared. */
    readonly pgpKeys?: readonly string[];
    /** How many custodians together open the password, as declared with `pgpKeys`. */
    readonly threshold?: number;
    /** With `pgpKeys`: one share of the password per key, encrypted to it, in the order of the keys. */
    readonly encryptedShares?: readonly EncryptedShare[];
    /** With a `pgpKey` and a declared password: its salted hash (see passwordHash.ts), for `diff`. */
    readonly passwordHash?: string;
    /**
     * When this resource last set the password, ISO 8601, by this machine's clock: the credential
     * report's `password_last_changed` after it means a change outside Pulumi.
     */
    readonly passwordSetAt?: string;
    /**
     * When this resource last wrote the profile (CreateLoginProfile, or UpdateLoginProfile of the
     * password or the flag), ISO 8601, by this machine's clock: CloudTrail's events up to then are
     * its own, and a later one is a change made outside Pulumi.
     */
    readonly writtenAt?: string;
    /**
     * When the password was last set, ISO 8601, on IAM's clock (the credential report's
     * `password_last_changed`): what its age and expiry count from.
     */
    readonly passwordLastChanged?: string;
    /**
     * When the password expires, ISO 8601, on IAM's clock: `passwordLastChanged` plus the account
     * password policy's MaxPasswordAge; absent when the account sets none (or it is not known yet).
     */
    readonly passwordExpiresAt?: string;
    /**
     * How far IAM's clock was ahead of this machine's at the last call, in milliseconds (from the
     * `Date` of IAM's answer): how `pulumi preview` judges age and expiry on IAM's clock with no call.
     */
    readonly iamClockAheadMs?: number;
    /** Why the next `up` sets a new generated password, as a refresh found it; cleared by the next update. */
    readonly rotationDue?: RotationReason;
    /** How a refresh found the live password departing from the one this resource set; cleared by the next update. */
    readonly passwordDrift?: PasswordDrift;
    /**
     * Who changed the password outside Pulumi, and when, from CloudTrail's event history: "ARN
     * (EventName at time)". Set with `passwordDrift` when an event showed it; cleared by the next update.
     */
    readonly passwordChangedBy?: string;
    /**
     * Until when the last refresh could see a password change made outside Pulumi, ISO 8601: when
     * it read the event history, else when AWS made the credential report it read; when the
     * resource last set the password, if no refresh has looked since.
     */
    readonly driftCheckedAt?: string;
    /** When the password was last used to sign in, ISO 8601, from ListUsers at the last refresh; absent when never. */
    readonly passwordLastUsed?: string;
    /**
     * The inputs this resource last applied, but `password` and `pgpKey`: what a refresh that
     * finds drift returns as the inputs, with the drifted one changed (see lifecycle/read.ts).
     */
    readonly appliedInputs?: Readonly<Record<string, unknown>>;
}

/**
 * How the live password departs from the one the resource set: the profile was deleted and
 * created again outside Pulumi (`recreated`), or its password was set outside Pulumi while the
 * resource owned it (`changed`).
 */
export type PasswordDrift = "recreated" | "changed";

/**
 * Why a generated password is due for a new one: it expires within `rotateBeforeExpiry` or has
 * expired (`expiring`), it is older than `rotateAfter` (`aged`), or it was used to sign in since
 * the resource set it, with `rotateAfterUse` (`used`).
 */
export type RotationReason = "expiring" | "aged" | "used";

/** One custodian's share of a password: which key it is encrypted to, and the encrypted share. */
export interface EncryptedShare {
    /** The fingerprint of the custodian's key, lower-case hex. */
    readonly keyFingerprint: string;
    /** The share, encrypted to that key: base64 of a binary OpenPGP message (`base64 --decode | gpg --decrypt`). */
    readonly encryptedShare: string;
}
