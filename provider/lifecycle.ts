/**
 * The LoginProfile provider hooks, as DESIGN.md's lifecycle table says: `check` and `diff` make
 * no AWS call; `create`, `read`, `update` and `delete` make one each (plus retries while IAM
 * settles). Built by `createLifecycle` so that tests can inject the IAM calls and the clock.
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { diffProfile, passwordChanged, resetFlagChanged } from "./diff";
import { awsErrorCode, describeIamError, LoginProfileError } from "./errors";
import { connectIam, type LoginProfileApi, type LoginProfileChanges } from "./iam";
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
            const { userName, password, passwordResetRequired } = inputs;
            const iam = await iamFor(inputs.region);
            try {
                const created = await whileSettling(
                    "NoSuchEntity",
                    `IAM user "${userName}" does not exist (waited for IAM to propagate a newly created user)`,
                    () => iam.create(userName, password, passwordResetRequired),
                );
                return { id: userName, outs: stateFrom(inputs, created.userName, created.createDate, created.passwordResetRequired) };
            } catch (error) {
                if (awsErrorCode(error) !== "EntityAlreadyExists") {
                    throw describeIamError("CreateLoginProfile", userName, error, password);
                }
                if (!inputs.adoptExisting) {
                    throw alreadyExists(userName);
                }
            }
            return adopt(iam, inputs);
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
                userName: current.userName,
                password: props?.password ?? "",
                passwordResetRequired: props?.passwordResetRequired ?? current.passwordResetRequired,
                passwordResetPending: current.passwordResetRequired,
                createDate: current.createDate,
                ...(props?.region ? { region: props.region } : {}),
            };
            return { id, props: outs };
        },

        async update(id, olds, news) {
            const inputs = requireValidInputs(news);
            const changes = updateFor(olds, news, inputs);
            const iam = await iamFor(inputs.region);
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
                throw describeIamError("UpdateLoginProfile", id, error, inputs.password, olds.password);
            }
            const pending = changes.passwordResetRequired ?? olds.passwordResetPending ?? inputs.passwordResetRequired;
            return { outs: stateFrom(inputs, olds.userName ?? id, olds.createDate ?? "", pending) };
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

    /** Takes over an existing profile: sets the declared password and flag on it, then reads it. */
    async function adopt(iam: LoginProfileApi, inputs: LoginProfileInputs): Promise<dynamic.CreateResult<LoginProfileState>> {
        const { userName, password, passwordResetRequired } = inputs;
        try {
            await whileSettling("EntityTemporarilyUnmodifiable", `the login profile of IAM user "${userName}" is still being created`, () =>
                iam.update(userName, { password, passwordResetRequired }),
            );
            const current = await iam.get(userName);
            return { id: userName, outs: stateFrom(inputs, current.userName, current.createDate, current.passwordResetRequired) };
        } catch (error) {
            throw describeIamError("Adopting the existing login profile", userName, error, password);
        }
    }
}

/**
 * UpdateLoginProfile with only what changed. A new password is sent with the declared flag when
 * that flag is true, so that rotating the password re-arms a reset the user already fulfilled.
 */
function updateFor(olds: Partial<LoginProfileState>, news: Record<string, unknown>, inputs: LoginProfileInputs): LoginProfileChanges {
    const newPassword = passwordChanged(olds, news);
    const sendFlag = resetFlagChanged(olds, news) || (newPassword && inputs.passwordResetRequired);
    return {
        ...(newPassword ? { password: inputs.password } : {}),
        ...(sendFlag ? { passwordResetRequired: inputs.passwordResetRequired } : {}),
    };
}

function stateFrom(inputs: LoginProfileInputs, userName: string, createDate: string, pending: boolean): LoginProfileState {
    return {
        userName,
        password: inputs.password,
        passwordResetRequired: inputs.passwordResetRequired,
        passwordResetPending: pending,
        createDate,
        ...(inputs.region ? { region: inputs.region } : {}),
    };
}

function alreadyExists(userName: string): LoginProfileError {
    return new LoginProfileError(
        "EntityAlreadyExists",
        `IAM user "${userName}" already has a login profile (console password) that this stack does not manage. ` +
            "To take it over, set `adoptExisting: true` on this LoginProfile: the next `pulumi up` sets the declared password and reset flag on it. " +
            `Or delete it first: aws iam delete-login-profile --user-name ${userName}`,
    );
}
