/**
 * Reading login profiles from a Pulumi program without managing them: `getLoginProfile` and
 * `listLoginProfiles`, each with the `…Output` form Pulumi's generated SDKs offer for every
 * function. They run in the program's own process, with the credentials, region and profile a
 * Pulumi program's AWS calls use (stack config `aws:region` and `aws:profile`, then the AWS SDK's
 * environment and default chain), so unlike the `LoginProfile` resource they call AWS in
 * `pulumi preview` too. The work is done by lifecycle/lookup.ts, which every front door shares.
 */
import * as pulumi from "@pulumi/pulumi";
import { createContext, type LifecycleContext } from "../lifecycle/context";
import { listProfiles, lookupProfile, type LoginProfileInventory, type LoginProfileLookup } from "../lifecycle/lookup";
import type { AssumeRole } from "../model/account";
import type { AssumeRoleArgs } from "./resource";
import { stackConfigValues, stackSettings } from "../aws/settings";

export type { ConsoleUser, LoginProfileInventory, LoginProfileLookup } from "../lifecycle/lookup";

/** Which account a lookup reads: as on the resource (see `AccountArgs`), with plain values. */
export interface LookupAccountArgs {
    /** The role to assume; see `AccountArgs.assumeRole`. @default stack config `iam-login-profile:assumeRole`, else none */
    readonly assumeRole?: AssumeRole;
    /** The shared-config profile of the credentials. @default stack config `aws:profile`, then the default chain */
    readonly profile?: string;
}

/** Which account a lookup reads, as inputs. */
export interface LookupAccountOutputArgs {
    /** See `LookupAccountArgs.assumeRole`. */
    readonly assumeRole?: pulumi.Input<AssumeRoleArgs>;
    /** See `LookupAccountArgs.profile`. */
    readonly profile?: pulumi.Input<string>;
}

/** The arguments of `getLoginProfile`. */
export interface GetLoginProfileArgs extends LookupAccountArgs {
    /** The IAM user whose login profile to read: 1 to 64 of ASCII letters, digits and `_+=,.@-`. */
    readonly userName: string;
    /**
     * The region whose partition endpoint serves IAM (IAM itself is global).
     * @default stack config `aws:region`, then AWS_REGION / AWS_DEFAULT_REGION, then us-east-1
     */
    readonly region?: string;
}

/** The arguments of `getLoginProfileOutput`: those of `getLoginProfile`, as inputs. */
export interface GetLoginProfileOutputArgs extends LookupAccountOutputArgs {
    /** See `GetLoginProfileArgs.userName`. */
    readonly userName: pulumi.Input<string>;
    /** See `GetLoginProfileArgs.region`. */
    readonly region?: pulumi.Input<string>;
}

/** The arguments of `listLoginProfiles`. */
export interface ListLoginProfilesArgs extends LookupAccountArgs {
    /**
     * The region whose partition endpoint serves IAM (IAM itself is global).
     * @default stack config `aws:region`, then AWS_REGION / AWS_DEFAULT_REGION, then us-east-1
     */
    readonly region?: string;
}

/** The arguments of `listLoginProfilesOutput`: those of `listLoginProfiles`, as inputs. */
export interface ListLoginProfilesOutputArgs extends LookupAccountOutputArgs {
    /** See `ListLoginProfilesArgs.region`. */
    readonly region?: pulumi.Input<string>;
}

/**
 * Reads an IAM user's login profile as AWS reports it (GetLoginProfile, and ListUsers for when the
 * password was last used: two calls): `userName`, `createDate`, `passwordResetRequired` and
 * `passwordLastUsed`; never a password, which AWS does not return. A user
 * without a profile fails with a message that names the user; a bad `userName` fails before any
 * call, with the rule the `LoginProfile` resource's check gives. Calls AWS in `pulumi preview` too.
 */
export function getLoginProfile(args: GetLoginProfileArgs): Promise<LoginProfileLookup> {
    return lookupProfile(programContext(), args);
}

/** `getLoginProfile` taking inputs and giving an Output, for use with other resources' outputs. */
export function getLoginProfileOutput(args: GetLoginProfileOutputArgs): pulumi.Output<LoginProfileLookup> {
    return pulumi.output(args).apply((resolved) => getLoginProfile(resolved as GetLoginProfileArgs));
}

/**
 * Every IAM user of the account that has a console password now: `userName`, `passwordLastUsed`,
 * `passwordLastChanged` and `mfaActive` for each. The IAM credential report (which AWS makes at
 * most every four hours: `generatedAt`, `ageSeconds`) is brought up to date by CloudTrail's event
 * history (profiles created, set or deleted since) and ListUsers (users deleted since, and each
 * password's last use); `currentAt` says until when the list is current. Seven calls or a few more
 * however many users there are (GenerateCredentialReport, GetCredentialReport, ListUsers, and one
 * LookupEvents per event name); needs iam:GenerateCredentialReport and iam:GetCredentialReport,
 * and warns without iam:ListUsers or cloudtrail:LookupEvents. Calls AWS in `pulumi preview` too.
 */
export function listLoginProfiles(args: ListLoginProfilesArgs = {}): Promise<LoginProfileInventory> {
    return listProfiles(programContext(), args);
}

/** `listLoginProfiles` taking inputs and giving an Output. */
export function listLoginProfilesOutput(args: ListLoginProfilesOutputArgs = {}): pulumi.Output<LoginProfileInventory> {
    return pulumi.output(args).apply((resolved) => listLoginProfiles(resolved as ListLoginProfilesArgs));
}

/** The hooks' context as a program sees it: the stack config the dynamic resource reads (`aws:region`, `aws:profile`, `iam-login-profile:…`). */
function programContext(): LifecycleContext {
    const context = createContext();
    context.stack = stackSettings(
        stackConfigValues({
            get: (key) => {
                const [namespace = "", name = ""] = key.split(":");
                return new pulumi.Config(namespace).get(name);
            },
        }),
    );
    return context;
}
