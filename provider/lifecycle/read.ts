/**
 * `read` (refresh): GetLoginProfile, and the account's CloudTrail event history, IAM users and
 * credential report (each shared by every read of the account in the provider process). It returns the state in which every drift of DESIGN.md's Drift table is
 * visible to `diff`, which the engine calls next with this state as `olds` (pulumi/pulumi#16146),
 * and, when it found drift, the inputs with the drifted one changed, which the CLI shows as
 * `[diff: ~password]` or `[diff: ~passwordResetRequired]`. It also brings the password's life up to
 * date (when it was set and expires, on IAM's clock), and finds a generated password due for a new
 * one (rules/rotation.ts), which it shows as drift too. A profile read with no state of the
 * resource's (an import, `LoginProfile.get`) comes with the inputs AWS implies.
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { awsErrorCode, describeAwsError } from "../aws/awsError";
import { resetForcedOutside } from "../rules/diff";
import { baselineSetAt, checkPasswordDrift, ownsPassword, type DriftCheck } from "../rules/drift";
import type { CredentialReport } from "../aws/credentialReport";
import type { LoginProfileApi, LoginProfileRecord } from "../aws/iam";
import { keptPassword } from "../password/record";
import type { LoginProfileState, PasswordDrift, RotationReason } from "../model/types";
import { declaredAccess } from "../model/account";
import { requireValidLookup } from "../rules/validation";
import type { LifecycleContext } from "./context";
import type { IamUsers, Seen } from "./accountSources";
import { reportTooOld } from "./blindSpots";
import { lifeAsRead } from "./passwordLife";
import { rotationDue } from "../rules/rotation";
import { warnIfExpiring } from "./expiry";

/** Reads the profile of IAM user `id`; an empty id when it is gone, so that refresh drops it. */
export async function readProfile(
    ctx: LifecycleContext,
    id: string,
    props: LoginProfileState | undefined,
): Promise<dynamic.ReadResult<LoginProfileState>> {
    const unmanaged = props === undefined || !managed(props);
    if (unmanaged) {
        // LoginProfile.get: the id is the program's, unchecked until here.
        requireValidLookup(
            "LoginProfile.get",
            { userName: id, region: props?.region, assumeRole: props?.assumeRole, profile: props?.profile },
            true,
        );
    }
    // The account the state records (a LoginProfile.get declares its own); a state written before
    // accounts were tracked reads where the provider's or stack's defaults point.
    const iam = await ctx.iamFor(props ?? {}, id, props?.accountId === undefined);
    let current: LoginProfileRecord;
    try {
        current = await iam.get(id);
    } catch (error) {
        if (awsErrorCode(error) === "NoSuchEntity") {
            return { id: "" }; // gone: refresh drops it from state, and the next `up` recreates it
        }
        throw describeAwsError("GetLoginProfile", id, error, props?.password);
    }
    const accountId = props?.accountId ?? (await iam.accountId());
    const access = declaredAccess(props ?? {});
    if (unmanaged) {
        const used = passwordLastUsedOf(current.userName, await ctx.iamUsers(iam), undefined);
        const state = { ...unmanagedState(current, props?.region), accountId, ...access, ...used };
        // An import (`pulumi import`, the `import` option) keeps these as the resource's inputs:
        // what AWS implies, with no password (AWS never returns one), so the next `up` sets the
        // declared password in place.
        return { id, props: state, inputs: inputsBeforeAppliedInputs(state) as unknown as LoginProfileState };
    }
    const { found, passwordSetAt, users, report } = await lookForChanges(ctx, iam, props, current, accountId);
    const drift = found.drift;
    const driftCheckedAt = found.checkedAt ?? props.driftCheckedAt;
    const life = lifeAsRead(props, iam, report, current.userName);
    const outs: LoginProfileState = {
        ...keptPassword(props),
        userName: current.userName,
        // AWS never returns the password, and the flag it reports is the pending reset, not the
        // declared setting: both declared values are carried over from state.
        passwordResetRequired: props.passwordResetRequired,
        passwordResetPending: current.passwordResetRequired,
        createDate: current.createDate,
        ...(props.region ? { region: props.region } : {}),
        accountId,
        ...access,
        ...(passwordSetAt !== undefined ? { passwordSetAt } : {}),
        ...(props.writtenAt !== undefined ? { writtenAt: props.writtenAt } : {}),
        ...(drift !== undefined ? { passwordDrift: drift } : {}),
        ...(found.changedBy !== undefined ? { passwordChangedBy: found.changedBy } : {}),
        ...(driftCheckedAt !== undefined ? { driftCheckedAt } : {}),
        ...passwordLastUsedOf(current.userName, users, report, props.passwordLastUsed),
        ...life,
        ...(props.appliedInputs !== undefined ? { appliedInputs: props.appliedInputs } : {}),
    };
    const applied = props.appliedInputs ?? inputsBeforeAppliedInputs(props);
    // A generated password due for a new one (rules/rotation.ts) is drift the next `up` corrects;
    // a declared one that expires soon gets a warning, since the resource cannot choose another.
    const due = drift === undefined && props.passwordLength !== undefined ? rotationDue(outs, applied, ctx.clock.now()) : undefined;
    if (props.passwordLength === undefined) {
        warnIfExpiring(ctx, outs, applied);
    }
    const state: LoginProfileState = due !== undefined ? { ...outs, rotationDue: due } : outs;
    // The same rule `diff` applies to this state: AWS requires a reset the resource did not apply.
    const forced = resetForcedOutside(state);
    if (drift === undefined && due === undefined && !forced) {
        return { id, props: state };
    }
    // The SDK types ReadResult's `inputs` as the outputs' type; they are the resource's inputs.
    return { id, props: state, inputs: driftedInputs(props, drift ?? due, forced) as unknown as LoginProfileState };
}

/** What a refresh found about a managed profile's password, and the account's users and report it read for it. */
interface Looked {
    readonly found: DriftCheck;
    /** The baseline of in-place detection: the state's, else (a state written before it was kept) the report's. */
    readonly passwordSetAt: string | undefined;
    readonly users: Seen<IamUsers>;
    readonly report: CredentialReport | undefined;
}

/**
 * Reads the account's sources (each once per account per process) and checks the password for
 * changes made outside Pulumi. The events and the report matter only while the resource owns the
 * password and no drift is known yet; the users (when each password was last used) always, and the
 * report also when ListUsers cannot be read. Where neither the events nor the report could see past
 * the last set, it warns before the read returns: "unchanged" would be a guess.
 */
async function lookForChanges(
    ctx: LifecycleContext,
    iam: LoginProfileApi,
    props: LoginProfileState,
    current: LoginProfileRecord,
    accountId: string,
): Promise<Looked> {
    const detecting = ctx.stack.detectPasswordChanges !== false;
    const checking =
        detecting && props.passwordDrift === undefined && ownsPassword(props.passwordResetRequired, current.passwordResetRequired);
    const [events, users] = await Promise.all([checking ? ctx.passwordEvents(iam) : undefined, ctx.iamUsers(iam)]);
    // The report also tells when the password expires (rules/expiry.ts), so it is read whenever detection is on.
    const report = detecting ? await ctx.credentialReport(iam) : undefined;
    const reportRead = report?.seen ? report.value : undefined;
    const passwordSetAt = baselineSetAt(props, current, reportRead);
    const found = checkPasswordDrift({ ...props, ...(passwordSetAt !== undefined ? { passwordSetAt } : {}) }, current, {
        ...(events?.seen ? { events: events.value } : {}),
        ...(reportRead !== undefined ? { report: reportRead } : {}),
        awsClockAheadMs: iam.clockOffsetMs?.() ?? 0,
        now: ctx.now(),
    });
    if (found.drift === undefined && found.checkedAt === undefined && events?.seen === false && report !== undefined) {
        await ctx.couldNotCheck({
            accountId,
            userName: current.userName,
            eventsWhy: events.why,
            reportWhy: report.seen ? reportTooOld(report.value) : report.why,
        });
    }
    return { found, passwordSetAt, users, report: reportRead };
}

/**
 * `passwordLastUsed` from ListUsers, which AWS keeps current; when it could not be read, from the
 * credential report when one was read, else as the state had it.
 */
function passwordLastUsedOf(
    userName: string,
    users: Seen<IamUsers>,
    report: CredentialReport | undefined,
    kept?: string,
): { passwordLastUsed?: string } {
    const key = userName.toLowerCase();
    const used = users.seen
        ? users.value.get(key)?.passwordLastUsed
        : report !== undefined
          ? report.users.get(key)?.passwordLastUsed
          : undefined;
    if (used !== undefined) {
        return { passwordLastUsed: used.toISOString() };
    }
    return !users.seen && report === undefined && kept !== undefined ? { passwordLastUsed: kept } : {};
}

/**
 * Whether `props` is the state of a profile this resource manages: it created the profile, so it
 * recorded the password it set (in plaintext as a secret, or encrypted to a pgpKey). A profile
 * read with `LoginProfile.get` has only what AWS reports, and `read` keeps it that way.
 */
function managed(props: Partial<LoginProfileState>): boolean {
    return props.password !== undefined || props.encryptedPassword !== undefined || props.encryptedShares !== undefined;
}

/**
 * The state of a profile the resource does not manage (`LoginProfile.get`): what AWS reports, and
 * no password, which AWS never returns.
 */
function unmanagedState(current: LoginProfileRecord, region: string | undefined): LoginProfileState {
    return {
        userName: current.userName,
        passwordResetRequired: current.passwordResetRequired,
        passwordResetPending: current.passwordResetRequired,
        createDate: current.createDate,
        ...(region ? { region } : {}),
    };
}

/**
 * The inputs as the state holds them, with each drifted input set to what AWS has now: a password
 * that is not the declared one (the empty string, which no password can be) and the forced reset.
 * The engine keeps `password` secret, as it was in the inputs before.
 */
function driftedInputs(
    props: LoginProfileState,
    drift: PasswordDrift | RotationReason | undefined,
    forced: boolean,
): Record<string, unknown> {
    const declaredPassword = props.passwordLength === undefined;
    const password = drift !== undefined ? "" : declaredPassword ? props.password : undefined;
    const applied = props.appliedInputs ?? inputsBeforeAppliedInputs(props);
    // appliedInputs holds a declared role without its external id, which the state keeps as a secret.
    const declaredRole = applied.assumeRole as Record<string, unknown> | undefined;
    const externalId = props.assumeRole?.externalId;
    return {
        ...applied,
        ...(declaredRole && externalId !== undefined ? { assumeRole: { ...declaredRole, externalId } } : {}),
        ...(props.pgpKey !== undefined ? { pgpKey: props.pgpKey } : {}),
        ...(props.pgpKeys !== undefined ? { pgpKeys: props.pgpKeys } : {}),
        ...(password !== undefined ? { password } : {}),
        ...(forced ? { passwordResetRequired: true } : {}),
    };
}

/**
 * The inputs as far as a state without `appliedInputs` tells them: one the resource wrote before
 * it recorded them (check then set `passwordLength` for every generated password), or one read
 * from AWS alone (an import, `LoginProfile.get`).
 */
function inputsBeforeAppliedInputs(props: LoginProfileState): Record<string, unknown> {
    return {
        userName: props.userName,
        passwordResetRequired: props.passwordResetRequired,
        ...(props.passwordLength !== undefined ? { passwordLength: props.passwordLength } : {}),
        ...(props.rotationTrigger !== undefined ? { rotationTrigger: props.rotationTrigger } : {}),
        ...(props.region !== undefined ? { region: props.region } : {}),
    };
}
