/**
 * `check`'s rules: pure functions that collect every failure, each naming the property and the
 * rule, and never quoting a password. Values unknown until apply pass; `create` checks again.
 */
import type { CheckFailure } from "@pulumi/pulumi/dynamic";
import { isUnknown } from "./unknown";
import type { LoginProfileInputs } from "./types";

/** The properties a LoginProfile accepts; the engine adds `__provider`, which is passed through. */
const KNOWN_PROPERTIES = ["userName", "password", "passwordResetRequired", "region", "adoptExisting"];

/** IAM's user name rule: `[\w+=,.@-]+`, where `\w` is ASCII letters, digits and underscore. */
const USER_NAME_CHARACTER = /^[A-Za-z0-9_+=,.@-]$/;
/** An AWS region name such as `us-east-1`, `us-gov-west-1` or `eu-isoe-west-1`. */
const REGION = /^[a-z]{2,}(-[a-z]+)+-\d+$/;

/** The result of validating raw inputs: normalised inputs, or the failures that stop them. */
export interface ValidationResult {
    /** The inputs with defaults applied; present even when there are failures, for the engine. */
    readonly inputs: Record<string, unknown>;
    /** Every broken rule; empty when the inputs are valid. */
    readonly failures: CheckFailure[];
}

/** Validates raw inputs from the engine and applies defaults (`passwordResetRequired: false`). */
export function validateInputs(news: Record<string, unknown>): ValidationResult {
    const failures: CheckFailure[] = [
        ...unknownPropertyFailures(news),
        ...userNameFailures(news.userName),
        ...passwordFailures(news.password),
        ...optionalBooleanFailures("passwordResetRequired", news.passwordResetRequired),
        ...regionFailures(news.region),
        ...optionalBooleanFailures("adoptExisting", news.adoptExisting),
    ];
    const inputs: Record<string, unknown> = { ...news, passwordResetRequired: news.passwordResetRequired ?? false };
    return { inputs, failures };
}

/** Narrows validated inputs to their type, throwing on any failure or value still unknown. */
export function requireValidInputs(news: Record<string, unknown>): LoginProfileInputs {
    const { inputs, failures } = validateInputs(news);
    const unknown = KNOWN_PROPERTIES.filter((property) => isUnknown(news[property]));
    const reasons = [...failures.map((f) => `${f.property}: ${f.reason}`), ...unknown.map((p) => `${p}: still unknown at apply time`)];
    if (reasons.length > 0) {
        throw new InvalidInputsError(reasons);
    }
    return inputs as unknown as LoginProfileInputs;
}

/** Thrown by `requireValidInputs`; the message lists every broken rule. */
export class InvalidInputsError extends Error {
    constructor(reasons: readonly string[]) {
        super(`invalid LoginProfile inputs: ${reasons.join("; ")}`);
        this.name = "InvalidInputsError";
    }
}

function unknownPropertyFailures(news: Record<string, unknown>): CheckFailure[] {
    return Object.keys(news)
        .filter((key) => key !== "__provider" && !KNOWN_PROPERTIES.includes(key))
        .map((key) => ({ property: key, reason: `unknown property "${key}"; a LoginProfile takes ${KNOWN_PROPERTIES.join(", ")}` }));
}

function userNameFailures(value: unknown): CheckFailure[] {
    const property = "userName";
    if (isUnknown(value)) {
        return [];
    }
    if (value === undefined || value === null) {
        return [{ property, reason: "userName is required" }];
    }
    if (typeof value !== "string") {
        return [{ property, reason: `userName must be a string, not ${describeType(value)}` }];
    }
    const characters = [...value];
    if (characters.length < 1 || characters.length > 64) {
        return [{ property, reason: `userName must be 1 to 64 characters long, not ${characters.length}` }];
    }
    const bad = [...new Set(characters.filter((c) => !USER_NAME_CHARACTER.test(c)))];
    if (bad.length > 0) {
        const shown = bad.map((c) => JSON.stringify(c)).join(", ");
        return [{ property, reason: `userName may hold only ASCII letters, digits and _+=,.@- (IAM's [\\w+=,.@-]); it contains ${shown}` }];
    }
    return [];
}

/** The password rule never says which character broke it: that would leak part of the password. */
function passwordFailures(value: unknown): CheckFailure[] {
    const property = "password";
    if (isUnknown(value)) {
        return [];
    }
    if (value === undefined || value === null) {
        return [{ property, reason: "password is required" }];
    }
    if (typeof value !== "string") {
        return [{ property, reason: `password must be a string, not ${describeType(value)}` }];
    }
    const characters = [...value];
    if (characters.length < 1 || characters.length > 128) {
        return [{ property, reason: `password must be 1 to 128 characters long, not ${characters.length}` }];
    }
    if (!characters.every(isPasswordCharacter)) {
        return [
            {
                property,
                reason: "password may hold only tab, line feed, carriage return and the characters U+0020 to U+00FF; it holds another character",
            },
        ];
    }
    return [];
}

/** IAM's password rule: `[\u0009\u000A\u000D\u0020-\u00FF]`. */
function isPasswordCharacter(character: string): boolean {
    const code = character.codePointAt(0) ?? 0;
    return code === 0x09 || code === 0x0a || code === 0x0d || (code >= 0x20 && code <= 0xff);
}

function optionalBooleanFailures(property: string, value: unknown): CheckFailure[] {
    if (value === undefined || value === null || isUnknown(value) || typeof value === "boolean") {
        return [];
    }
    return [{ property, reason: `${property} must be a boolean (true or false), not ${describeType(value)}` }];
}

function regionFailures(value: unknown): CheckFailure[] {
    const property = "region";
    if (value === undefined || value === null || isUnknown(value)) {
        return [];
    }
    if (typeof value !== "string" || !REGION.test(value)) {
        const shown = typeof value === "string" ? JSON.stringify(value) : describeType(value);
        return [{ property, reason: `region must be an AWS region name such as "us-east-1", not ${shown}` }];
    }
    return [];
}

/** Names a value's type for a message without showing the value itself. */
function describeType(value: unknown): string {
    if (Array.isArray(value)) {
        return "an array";
    }
    return typeof value === "object" ? "an object" : `a ${typeof value}`;
}
