/** `diff`: what a change of each input does, compared with the state (old outputs), with no AWS call. */
import type { DiffResult } from "@pulumi/pulumi/dynamic";
import type { LoginProfileState } from "../../provider/model/types";
import { inputsOf, NEW_PASSWORD, omit, stateOf, UNKNOWN, USER, USER_AS_STORED, offlineLifecycle } from "./fixtures";

const NO_CHANGE: DiffResult = { changes: false, replaces: [], deleteBeforeReplace: false };
const UPDATE_IN_PLACE: DiffResult = { changes: true, replaces: [], deleteBeforeReplace: false };
const REPLACE: DiffResult = { changes: true, replaces: ["userName"], deleteBeforeReplace: true };

const lifecycle = offlineLifecycle();

function diff(olds: Partial<LoginProfileState>, news: Record<string, unknown>): Promise<DiffResult> {
    return lifecycle().diff(USER, olds as LoginProfileState, news);
}

describe("diff", () => {
    it("reports no change when the inputs match the state", async () => {
        await expect(diff(stateOf(), inputsOf())).resolves.toStrictEqual(NO_CHANGE);
    });

    it("replaces the profile, deleting the old one first, when userName changes", async () => {
        // A user has one login profile: create-before-delete would collide (terraform-provider-aws #36654).
        await expect(diff(stateOf(), inputsOf({ userName: "bob" }))).resolves.toStrictEqual(REPLACE);
    });

    it("does not replace the profile when userName changes only in case", async () => {
        await expect(diff(stateOf({ userName: USER_AS_STORED }), inputsOf({ userName: USER }))).resolves.toStrictEqual(NO_CHANGE);
        await expect(diff(stateOf({ userName: USER }), inputsOf({ userName: "ALICE" }))).resolves.toStrictEqual(NO_CHANGE);
    });

    it("updates in place when the password changes", async () => {
        await expect(diff(stateOf(), inputsOf({ password: NEW_PASSWORD }))).resolves.toStrictEqual(UPDATE_IN_PLACE);
    });

    it("updates in place when passwordResetRequired changes from false to true", async () => {
        await expect(diff(stateOf(), inputsOf({ passwordResetRequired: true }))).resolves.toStrictEqual(UPDATE_IN_PLACE);
    });

    it("updates in place when passwordResetRequired changes from true to false", async () => {
        const olds = stateOf({ passwordResetRequired: true, passwordResetPending: true });

        await expect(diff(olds, inputsOf({ passwordResetRequired: false }))).resolves.toStrictEqual(UPDATE_IN_PLACE);
    });

    it("updates in place when the password and the flag change together", async () => {
        await expect(diff(stateOf(), inputsOf({ password: NEW_PASSWORD, passwordResetRequired: true }))).resolves.toStrictEqual(
            UPDATE_IN_PLACE,
        );
    });

    it("replaces, and only replaces, when userName and the password change together", async () => {
        await expect(diff(stateOf(), inputsOf({ userName: "bob", password: NEW_PASSWORD }))).resolves.toStrictEqual(REPLACE);
    });

    it("treats an omitted passwordResetRequired as false", async () => {
        await expect(diff(stateOf(), { userName: USER, password: stateOf().password })).resolves.toStrictEqual(NO_CHANGE);
        await expect(
            diff(stateOf({ passwordResetRequired: true }), { userName: USER, password: stateOf().password }),
        ).resolves.toStrictEqual(UPDATE_IN_PLACE);
    });

    it("treats a state without passwordResetRequired as false", async () => {
        const olds = omit(stateOf(), "passwordResetRequired");

        await expect(diff(olds, inputsOf())).resolves.toStrictEqual(NO_CHANGE);
        await expect(diff(olds, inputsOf({ passwordResetRequired: true }))).resolves.toStrictEqual(UPDATE_IN_PLACE);
    });

    it.each<[string, Record<string, unknown>]>([
        ["region", { region: "eu-west-1" }],
        ["adoptExisting", { adoptExisting: true }],
        ["__provider", { __provider: "exports.handler = __f0; // a newer package version" }],
    ])("changes nothing when only %s changes", async (_property, change) => {
        await expect(diff(stateOf(), inputsOf(change))).resolves.toStrictEqual(NO_CHANGE);
    });

    it("replaces a state that has no userName", async () => {
        const olds = omit(stateOf(), "userName");

        await expect(diff(olds, inputsOf())).resolves.toStrictEqual(REPLACE);
    });
});

describe("diff after the user's first sign-in", () => {
    it("changes nothing when AWS cleared the reset flag the resource set", async () => {
        // GIVEN the resource set the flag and the user has since set a new password at sign-in
        const olds = stateOf({ passwordResetRequired: true, passwordResetPending: false });

        // WHEN the program still declares the flag
        const result = await diff(olds, inputsOf({ passwordResetRequired: true }));

        // THEN that is the requirement fulfilled, not drift (terraform-provider-aws #23567, pulumi-aws #3750)
        expect(result).toStrictEqual(NO_CHANGE);
    });

    it("updates in place when the password is rotated after the first sign-in", async () => {
        const olds = stateOf({ passwordResetRequired: true, passwordResetPending: false });

        await expect(diff(olds, inputsOf({ password: NEW_PASSWORD, passwordResetRequired: true }))).resolves.toStrictEqual(UPDATE_IN_PLACE);
    });
});

describe("diff during preview", () => {
    it("replaces the profile when userName is unknown", async () => {
        await expect(diff(stateOf(), inputsOf({ userName: UNKNOWN }))).resolves.toStrictEqual(REPLACE);
    });

    it("updates in place when the password is unknown", async () => {
        await expect(diff(stateOf(), inputsOf({ password: UNKNOWN }))).resolves.toStrictEqual(UPDATE_IN_PLACE);
    });

    it("updates in place when passwordResetRequired is unknown", async () => {
        await expect(diff(stateOf(), inputsOf({ passwordResetRequired: UNKNOWN }))).resolves.toStrictEqual(UPDATE_IN_PLACE);
    });

    it("changes nothing when only the region is unknown", async () => {
        await expect(diff(stateOf(), inputsOf({ region: UNKNOWN }))).resolves.toStrictEqual(NO_CHANGE);
    });
});
