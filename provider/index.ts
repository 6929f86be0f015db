export { LoginProfile, type LoginProfileArgs } from "./resource";
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
    type LoginProfileInventory,
    type LoginProfileLookup,
} from "./lookups";
export type { LoginProfileInputs, LoginProfileState } from "./types";
