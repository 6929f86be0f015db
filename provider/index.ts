export { LoginProfile, type AccountArgs, type AssumeRoleArgs, type LoginProfileArgs } from "./resource";
export type { AssumeRole } from "./account";
export { LoginProfileError } from "./errors";
export {
    getLoginProfile,
    getLoginProfileOutput,
    listLoginProfiles,
    listLoginProfilesOutput,
    type ConsoleUser,
    type GetLoginProfileArgs,
    type GetLoginProfileOutputArgs,
    type ListLoginProfilesArgs,
    type ListLoginProfilesOutputArgs,
    type LookupAccountArgs,
    type LookupAccountOutputArgs,
    type LoginProfileInventory,
    type LoginProfileLookup,
} from "./lookups";
export type { LoginProfileInputs, LoginProfileState } from "./types";
