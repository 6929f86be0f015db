export { LoginProfile, type LoginProfileArgs } from "./resource";
export { LoginProfileError } from "./errors";
export type { LoginProfileInputs, LoginProfileState } from "./types";
