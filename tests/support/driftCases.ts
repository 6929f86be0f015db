/**
 * DESIGN.md's Drift table as data: each row is a change made outside Pulumi to a profile the
 * resource manages, what `pulumi refresh` must show, and what the next `pulumi up` must do. The
 * unit tests (a fake IAM), the integration tests (the hooks against the emulator) and the e2e tests
 * (the real CLI) all read this one table.
 */

/** What a test can do to a login profile outside Pulumi. */
export interface OutsideChanges {
    /** DeleteLoginProfile. */
    deleteProfile(userName: string): Promise<void>;
    /** CreateLoginProfile with this password and flag. */
    createProfile(userName: string, password: string, passwordResetRequired: boolean): Promise<void>;
    /** UpdateLoginProfile with a new password, and the flag when given. */
    setPassword(userName: string, password: string, passwordResetRequired?: boolean): Promise<void>;
    /** UpdateLoginProfile with the flag alone. */
    setResetFlag(userName: string, passwordResetRequired: boolean): Promise<void>;
}

/** The password the outside change sets: never the declared one. */
export const OUTSIDE_PASSWORD = "Outs1de-Pulumi-Passw0rd!";

/** One row of the Drift table. */
export interface DriftCase {
    /** The row, as DESIGN.md names it. */
    readonly name: string;
    /** The `passwordResetRequired` the resource declares. */
    readonly declaredResetRequired: boolean;
    /** The change made outside Pulumi, after the resource created the profile with the declared password. */
    readonly change: (outside: OutsideChanges, userName: string) => Promise<void>;
    /**
     * What the default `pulumi refresh` display shows for the resource: deleted, updated on one
     * input, or nothing (unchanged).
     */
    readonly refresh: "deleted" | "~password" | "~passwordResetRequired" | "unchanged";
    /** The IAM calls the next `pulumi up` makes (the report's and GetLoginProfile's excluded: up does not refresh). */
    readonly upCalls: Readonly<Record<string, number>>;
    /** What UpdateLoginProfile sends, when `up` updates: the declared password, the flag, or both. */
    readonly upSends?: { readonly password: boolean; readonly passwordResetRequired?: boolean };
    /** After `up`: whether the declared password signs in (false: the user's own password stays). */
    readonly declaredPasswordSignsIn: boolean;
    /** After `up`: the reset flag AWS has. */
    readonly resetPendingAfterUp: boolean;
}

/** The table. The e2e test waits past the clock tolerance before each change, as a later change would be. */
export const DRIFT_CASES: readonly DriftCase[] = [
    {
        name: "profile deleted",
        declaredResetRequired: false,
        change: (outside, user) => outside.deleteProfile(user),
        refresh: "deleted",
        upCalls: { CreateLoginProfile: 1 },
        declaredPasswordSignsIn: true,
        resetPendingAfterUp: false,
    },
    {
        name: "profile deleted and re-created",
        declaredResetRequired: false,
        change: async (outside: OutsideChanges, user: string): Promise<void> => {
            await outside.deleteProfile(user);
            await outside.createProfile(user, OUTSIDE_PASSWORD, false);
        },
        refresh: "~password",
        upCalls: { UpdateLoginProfile: 1 },
        upSends: { password: true },
        declaredPasswordSignsIn: true,
        resetPendingAfterUp: false,
    },
    {
        name: "reset forced while declared false",
        declaredResetRequired: false,
        change: (outside, user) => outside.setResetFlag(user, true),
        refresh: "~passwordResetRequired",
        upCalls: { UpdateLoginProfile: 1 },
        upSends: { password: false, passwordResetRequired: false },
        declaredPasswordSignsIn: true,
        resetPendingAfterUp: false,
    },
    {
        name: "password changed in place while the resource owns it",
        declaredResetRequired: false,
        change: (outside, user) => outside.setPassword(user, OUTSIDE_PASSWORD),
        refresh: "~password",
        upCalls: { UpdateLoginProfile: 1 },
        upSends: { password: true },
        declaredPasswordSignsIn: true,
        resetPendingAfterUp: false,
    },
    {
        name: "password changed in place while the reset is still pending",
        declaredResetRequired: true,
        change: (outside, user) => outside.setPassword(user, OUTSIDE_PASSWORD),
        refresh: "~password",
        upCalls: { UpdateLoginProfile: 1 },
        upSends: { password: true, passwordResetRequired: true },
        declaredPasswordSignsIn: true,
        resetPendingAfterUp: true,
    },
    {
        name: "the user's first sign-in",
        declaredResetRequired: true,
        change: (outside, user) => outside.setPassword(user, OUTSIDE_PASSWORD, false),
        refresh: "unchanged",
        upCalls: {},
        declaredPasswordSignsIn: false,
        resetPendingAfterUp: false,
    },
];

/**
 * The calls of an `up` that runs in a provider process of its own (the CLI's): a create first asks
 * for the account of the default credentials (STS GetCallerIdentity), once per process. The
 * table's `upCalls` are those of a process that already knows it.
 */
export function upCallsInOwnProcess(calls: Readonly<Record<string, number>>): Record<string, number> {
    return calls.CreateLoginProfile ? { GetCallerIdentity: 1, ...calls } : { ...calls };
}
