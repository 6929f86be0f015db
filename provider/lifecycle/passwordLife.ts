/**
 * The state fields about a password's life on IAM's clock: when it was last set
 * (`passwordLastChanged`), when it expires (`passwordExpiresAt`), and how far IAM's clock was
 * ahead of this machine's (`iamClockAheadMs`), which `pulumi preview` needs to judge age and expiry
 * with no call. Create and update set them when they set a password; a read brings them up to date.
 */
import type { CredentialReport } from "../aws/credentialReport";
import type { LoginProfileApi } from "../aws/iam";
import type { LoginProfileState } from "../model/types";
import { expiryFields, maxAgeOfDays, maxAgeOfReport, maxAgeOfState } from "../rules/expiry";
import { lastChangedMs } from "../rules/rotation";
import type { PasswordPolicy } from "../password/policy";

/** The state fields about a password's life. */
export type PasswordLife = Pick<LoginProfileState, "passwordLastChanged" | "passwordExpiresAt" | "iamClockAheadMs">;

/**
 * How far IAM's clock is ahead of this machine's, as the connection last measured it, in whole
 * seconds; undefined before any answer. The `Date` header tells IAM's time to the second, cut
 * down, so a measure is up to a second short: half a second is added back, and the second is the
 * resolution, so that the same clocks give the same state from one read to the next.
 */
export function clockAheadOf(iam: LoginProfileApi): number | undefined {
    const measured = iam.clockOffsetMs?.();
    return measured === undefined ? undefined : Math.round((measured + 500) / 1000) * 1000 + 0;
}

/** The state field of a measured clock offset: absent when none was measured. */
function aheadField(ahead: number | undefined): PasswordLife {
    return ahead !== undefined ? { iamClockAheadMs: ahead } : {};
}

/**
 * The life of a password set now (`setAtMs`, this machine's clock). A generated password was made
 * for the account `policy` it read, which tells its expiry; a declared one keeps the MaxPasswordAge
 * the state implies (the next refresh reads it from the credential report).
 */
export function lifeOfNewPassword(
    iam: LoginProfileApi,
    setAtMs: number,
    generated: { readonly policy: PasswordPolicy | undefined } | undefined,
    olds: Partial<LoginProfileState> = {},
): PasswordLife {
    const ahead = clockAheadOf(iam);
    const lastChanged = setAtMs + (ahead ?? 0);
    const maxAge = generated !== undefined ? maxAgeOfDays(generated.policy?.maxPasswordAgeDays) : maxAgeOfState(olds);
    return { passwordLastChanged: new Date(lastChanged).toISOString(), ...expiryFields(lastChanged, maxAge), ...aheadField(ahead) };
}

/** The life of a password that did not change now: the state's, with IAM's clock as measured by the call made now, if any. */
export function keptLife(olds: Partial<LoginProfileState>, iam: LoginProfileApi | undefined): PasswordLife {
    const ahead = (iam !== undefined ? clockAheadOf(iam) : undefined) ?? olds.iamClockAheadMs;
    return {
        ...(olds.passwordLastChanged !== undefined ? { passwordLastChanged: olds.passwordLastChanged } : {}),
        ...(olds.passwordExpiresAt !== undefined ? { passwordExpiresAt: olds.passwordExpiresAt } : {}),
        ...aheadField(ahead),
    };
}

/**
 * The password's life as this read finds it, on IAM's clock: last set when the resource set it, or
 * later when the credential report says so (a user's own password after a forced reset); expiring
 * after the MaxPasswordAge the report shows (else the one the state implies); IAM's clock as
 * GetLoginProfile's answer just measured it.
 */
export function lifeAsRead(
    props: LoginProfileState,
    iam: LoginProfileApi,
    report: CredentialReport | undefined,
    userName: string,
): PasswordLife {
    const ahead = aheadField(clockAheadOf(iam) ?? props.iamClockAheadMs);
    const kept = lastChangedMs(props);
    const reported = report?.users.get(userName.toLowerCase())?.passwordLastChanged?.getTime();
    const lastChanged = Math.max(kept ?? Number.NEGATIVE_INFINITY, reported ?? Number.NEGATIVE_INFINITY);
    if (!Number.isFinite(lastChanged)) {
        return ahead;
    }
    const fromReport = report !== undefined ? maxAgeOfReport(report) : undefined;
    const maxAge = fromReport !== undefined ? fromReport : maxAgeOfState(props);
    return { passwordLastChanged: new Date(lastChanged).toISOString(), ...expiryFields(lastChanged, maxAge), ...ahead };
}
