export { LoginProfile, type AccountArgs, type AssumeRoleArgs, type LoginProfileArgs } from "./dynamic/resource";
export type { AssumeRole } from "./model/account";
export { LoginProfileError } from "./model/errors";
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
} from "./dynamic/lookups";
export type { EncryptedShare, LoginProfileInputs, LoginProfileState, RotationReason } from "./model/types";
