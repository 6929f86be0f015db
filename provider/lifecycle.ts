/**
 * The LoginProfile provider hooks, as DESIGN.md's lifecycle table says: `check` and `diff` make
 * no AWS call; `create`, `read`, `update` and `delete` make one each (plus retries while IAM
 * settles), except that generating a password first reads the account's password policy
 * (GetAccountPasswordPolicy), so such a create makes two, and an update that changes only the
 * key a declared password is encrypted to makes none. Built by `createLifecycle` so that tests
 * can inject the IAM calls and the clock.
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { diffProfile, passwordChanged, pgpKeyChanged, resetFlagChanged } from "./diff";
import { awsErrorCode, describeIamError, LoginProfileError } from "./errors";
import { connectIam, type LoginProfileApi, type LoginProfileChanges } from "./iam";
import { defaultPasswordLength, generatePassword } from "./passwordGenerator";
import { AWS_DEFAULT_PASSWORD_POLICY } from "./passwordPolicy";
import { keptPassword, recordPassword, type PasswordRecord } from "./passwordRecord";
import { readPgpKey } from "./pgp";
import { DEFAULT_RETRY_POLICY, retryTransient, RetryTimeoutError, SYSTEM_CLOCK, type RetryClock, type RetryPolicy } from "./retry";
import { resolveClientSettings, type ClientSettings, type StackSettings } from "./settings";
import type { LoginProfileInputs, LoginProfileState } from "./types";
import { requireValidInputs, validateInputs } from "./validation";

/** What the hooks depend on; every field has a real default. */
export interface LifecycleOptions {
    /** Connects to IAM. @default the AWS SDK client, loaded on first use */
    readonly connect?: (settings: ClientSettings) => Promise<LoginProfileApi>;
    /** The clock for eventual-consistency retries. @default the system clock */
    readonly clock?: RetryClock;
    /** How long to wait for IAM to settle. @default about two minutes */
    readonly retryPolicy?: RetryPolicy;
    /** The environment the region falls back to. @default process.env */
    readonly env?: Readonly<Record<string, string | undefined>>;
}

/** The dynamic provider hooks, with `configure` and every optional hook present. */
export type LoginProfileLifecycle = Required<dynamic.ResourceProvider<Record<string, unknown>, LoginProfileState>>;

/** Creates the provider hooks. */
export function createLifecycle(options: LifecycleOptions = {}): LoginProfileLifecycle {
    const connect = options.connect ?? connectIam;
    const clock = options.clock ?? SYSTEM_CLOCK;
    const policy = options.retryPolicy ?? DEFAULT_RETRY_POLICY;
    let stack: StackSettings = {};

    const iamFor = (region: string | undefined): Promise<LoginProfileApi> =>
        connect(resolveClientSettings(region, stack, options.env ?? process.env));

    /** Retries one call while `code` says IAM has not settled yet; then explains what it waited for. */
    const whileSettling = async <T>(code: string, waitingFor: string, call: () => Promise<T>): Promise<T> => {
        try {
            return await retryTransient(call, (error) => awsErrorCode(error) === code, clock, policy);
        } catch (error) {
            if (error instanceof RetryTimeoutError) {
                throw new LoginProfileError(
                    code,
                    `${waitingFor}: IAM still answered ${code} after ${error.message.replace(/^still failing after /, "")}`,
                );
            }
            throw error;
        }
    };

    return {
        async configure(req) {
            stack = { region: req.config.get("aws:region"), profile: req.config.get("aws:profile") };
        },

        async check(_olds, news) {
            const { inputs, failures } = validateInputs(news);
            return { inputs, failures };
        },

        async diff(_id, olds, news) {
            return diffProfile(olds, news);
        },

        async create(news) {
            const inputs = requireValidInputs(news);
            const { userName, passwordResetRequired } = inputs;
            // A bad key fails before any AWS call, so no password is set that could not be recorded.
            const recipient = inputs.pgpKey === undefined ? undefined : await readPgpKey(inputs.pgpKey);
            const iam = await iamFor(inputs.region);
            const password = inputs.password ?? (await generateFor(iam, inputs));
            const record = await recordPassword(inputs, password, recipient);
            try {
                const created = await whileSettling(
                    "NoSuchEntity",
                    `IAM user "${userName}" does not exist (waited for IAM to propagate a newly created user)`,
                    () => iam.create(userName, password, passwordResetRequired),
                );
                return {
                    id: userName,
                    outs: stateFrom(inputs, record, created.userName, created.createDate, created.passwordResetRequired),
                };
            } catch (error) {
                if (awsErrorCode(error) !== "EntityAlreadyExists") {
                    throw describeIamError("CreateLoginProfile", userName, error, password);
                }
                if (!inputs.adoptExisting) {
                    throw alreadyExists(userName);
                }
            }
            return adopt(iam, inputs, password, record);
        },

        async read(id, props) {
            const iam = await iamFor(props?.region);
            let current;
            try {
                current = await iam.get(id);
            } catch (error) {
                if (awsErrorCode(error) === "NoSuchEntity") {
                    return { id: "" }; // gone: refresh drops it from state, and the next `up` recreates it
                }
                throw describeIamError("GetLoginProfile", id, error, props?.password);
            }
            // AWS never returns the password, and the flag it reports is the pending reset, not
            // the declared setting: both declared values are carried over from state.
            const outs: LoginProfileState = {
                ...(props ? keptPassword(props) : { password: "" }),
                userName: current.userName,
                passwordResetRequired: props?.passwordResetRequired ?? current.passwordResetRequired,
                passwordResetPending: current.passwordResetRequired,
                createDate: current.createDate,
                ...(props?.region ? { region: props.region } : {}),
            };
            return { id, props: outs };
        },

        async update(id, olds, news) {
            const inputs = requireValidInputs(news);
            const newPassword = passwordChanged(olds, news);
            const rerecord = newPassword || pgpKeyChanged(olds, news);
            const recipient = rerecord && inputs.pgpKey !== undefined ? await readPgpKey(inputs.pgpKey) : undefined;
            let api: LoginProfileApi | undefined;
            const iam = async (): Promise<LoginProfileApi> => (api ??= await iamFor(inputs.region));
            // Unless a new one is due, the password is the declared one or the generated one in
            // state. With a pgpKey the state holds no generated password, and nothing needs it:
            // a changed key makes a new one due (diff.ts), and otherwise the record is kept as is.
            const password = newPassword
                ? (inputs.password ?? (await generateFor(await iam(), inputs)))
                : (inputs.password ?? olds.password);
            const record = rerecord && password !== undefined ? await recordPassword(inputs, password, recipient) : keptPassword(olds);
            const changes = updateFor(olds, news, inputs, newPassword ? password : undefined);
            if (changes.password !== undefined || changes.passwordResetRequired !== undefined) {
                await applyUpdate(await iam(), id, changes, inputs.password, olds.password);
            }
            const pending = changes.passwordResetRequired ?? olds.passwordResetPending ?? inputs.passwordResetRequired;
            return { outs: stateFrom(inputs, record, olds.userName ?? id, olds.createDate ?? "", pending) };
        },

        async delete(id, props) {
            const iam = await iamFor(props.region);
            try {
                await whileSettling("EntityTemporarilyUnmodifiable", `the login profile of IAM user "${id}" is still being created`, () =>
                    iam.delete(id),
                );
            } catch (error) {
                // Only NoSuchEntity means "already gone" (the profile, or the whole user); nothing else is swallowed.
                if (awsErrorCode(error) !== "NoSuchEntity") {
                    throw describeIamError("DeleteLoginProfile", id, error, props.password);
                }
            }
        },
    };

    /**
     * UpdateLoginProfile, retried while a profile created a moment ago settles. Every password
     * known here is cut out of an error's message, whichever of them the call carried.
     */
    async function applyUpdate(
        iam: LoginProfileApi,
        id: string,
        changes: LoginProfileChanges,
        ...knownPasswords: (string | undefined)[]
    ): Promise<void> {
        try {
            await whileSettling("EntityTemporarilyUnmodifiable", `the login profile of IAM user "${id}" is still being created`, () =>
                iam.update(id, changes),
            );
        } catch (error) {
            if (awsErrorCode(error) === "NoSuchEntity") {
                throw new LoginProfileError(
                    "NoSuchEntity",
                    `IAM user "${id}" no longer has a login profile (it was deleted outside Pulumi); run \`pulumi refresh\`, then \`pulumi up\` to create it again`,
                );
            }
            throw describeIamError("UpdateLoginProfile", id, error, changes.password, ...knownPasswords);
        }
    }

    /** Takes over an existing profile: sets the password and declared flag on it, then reads it. */
    async function adopt(
        iam: LoginProfileApi,
        inputs: LoginProfileInputs,
        password: string,
        record: PasswordRecord,
    ): Promise<dynamic.CreateResult<LoginProfileState>> {
        const { userName, passwordResetRequired } = inputs;
        try {
            await whileSettling("EntityTemporarilyUnmodifiable", `the login profile of IAM user "${userName}" is still being created`, () =>
                iam.update(userName, { password, passwordResetRequired }),
            );
            const current = await iam.get(userName);
            return { id: userName, outs: stateFrom(inputs, record, current.userName, current.createDate, current.passwordResetRequired) };
        } catch (error) {
            throw describeIamError("Adopting the existing login profile", userName, error, password);
        }
    }
}

/**
 * A new password for `inputs`, satisfying the account's password policy (AWS's default where the
 * account has none): `passwordLength` long, or, when that is omitted, 20 or the policy's minimum
 * if that is more. Fails before any password is set when a declared `passwordLength` is too short.
 */
async function generateFor(iam: LoginProfileApi, inputs: LoginProfileInputs): Promise<string> {
    let policy;
    try {
        policy = await iam.getAccountPasswordPolicy();
    } catch (error) {
        const described = describeIamError("GetAccountPasswordPolicy", inputs.userName, error);
        if (described.code !== "AccessDenied") {
            throw described;
        }
        throw new LoginProfileError(
            described.code,
            `${described.message}. A generated password must satisfy the account's password policy, so reading it needs ` +
                "iam:GetAccountPasswordPolicy: allow that, or declare a password",
        );
    }
    const rules = policy ?? AWS_DEFAULT_PASSWORD_POLICY;
    return generatePassword(inputs.passwordLength ?? defaultPasswordLength(rules), rules);
}

/**
 * UpdateLoginProfile with only what changed. A new password is sent with the declared flag when
 * that flag is true, so that rotating the password re-arms a reset the user already fulfilled.
 */
function updateFor(
    olds: Partial<LoginProfileState>,
    news: Record<string, unknown>,
    inputs: LoginProfileInputs,
    newPassword: string | undefined,
): LoginProfileChanges {
    const sendFlag = resetFlagChanged(olds, news) || (newPassword !== undefined && inputs.passwordResetRequired);
    return {
        ...(newPassword !== undefined ? { password: newPassword } : {}),
        ...(sendFlag ? { passwordResetRequired: inputs.passwordResetRequired } : {}),
    };
}

function stateFrom(
    inputs: LoginProfileInputs,
    record: PasswordRecord,
    userName: string,
    createDate: string,
    pending: boolean,
): LoginProfileState {
    return {
        userName,
        ...record,
        passwordResetRequired: inputs.passwordResetRequired,
        passwordResetPending: pending,
        createDate,
        ...(inputs.region ? { region: inputs.region } : {}),
    };
}

function alreadyExists(userName: string): LoginProfileError {
    return new LoginProfileError(
        "EntityAlreadyExists",
        `IAM user "${userName}" already has a login profile (console password) that this resource does not manage (another stack, another LoginProfile in this program, or someone outside Pulumi made it). ` +
            "To take it over, set `adoptExisting: true` on this LoginProfile: the next `pulumi up` sets the declared password and reset flag on it. " +
            `Or delete it first: aws iam delete-login-profile --user-name ${userName}`,
    );
}
