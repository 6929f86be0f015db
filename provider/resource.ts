/** The `LoginProfile` resource class a Pulumi program declares. */
import * as pulumi from "@pulumi/pulumi";
import * as serializedProvider from "./serializedProvider";

/** The arguments of a LoginProfile. */
export interface LoginProfileArgs {
    /**
     * The IAM user whose console password this is: 1 to 64 of ASCII letters, digits and
     * `_+=,.@-`. A change replaces the profile (the old one is deleted first).
     */
    readonly userName: pulumi.Input<string>;
    /**
     * The console password: 1 to 128 characters, each a tab, line feed, carriage return or
     * U+0020 to U+00FF, and within the account's password policy. Always stored as a secret,
     * even when given as a plain string. A change sets the new password in place.
     */
    readonly password: pulumi.Input<string>;
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
 * flag updates it, a new user name replaces it.
 */
export class LoginProfile extends pulumi.dynamic.Resource {
    /** The user name as AWS reports it; also the resource's id. */
    declare public readonly userName: pulumi.Output<string>;
    /** The password this resource last set (secret; AWS never returns it). */
    declare public readonly password: pulumi.Output<string>;
    /** The reset flag as this resource last applied it. */
    declare public readonly passwordResetRequired: pulumi.Output<boolean>;
    /** The reset flag as AWS reports it now, refreshed on every read: false once the user has set a new password. */
    declare public readonly passwordResetPending: pulumi.Output<boolean>;
    /** When AWS created the profile, ISO 8601. */
    declare public readonly createDate: pulumi.Output<string>;

    constructor(name: string, args: LoginProfileArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            serializedProvider,
            name,
            {
                userName: args.userName,
                // Wrapped here so the password is a secret even when the caller passes a plain string.
                password: pulumi.secret(args.password),
                passwordResetRequired: args.passwordResetRequired ?? false,
                region: args.region,
                adoptExisting: args.adoptExisting,
                // Output-only properties, declared so that they exist on the resource object.
                passwordResetPending: undefined,
                createDate: undefined,
            },
            pulumi.mergeOptions(opts, { additionalSecretOutputs: ["password"] }),
            "aws-iam",
            "LoginProfile",
        );
    }
}
