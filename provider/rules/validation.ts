/**
 * `check`'s rules: pure functions that collect every failure, each naming the property and the
 * rule, and never quoting a password. Values unknown until apply pass; `create` checks again.
 */
import type { CheckFailure } from "@pulumi/pulumi/dynamic";
import { assumeRoleFailures, profileFailures } from "../model/account";
import { describeType } from "../model/describe";
import { LoginProfileError } from "../model/errors";
import { MAX_PASSWORD_LENGTH } from "../password/generator";
import { isUnknown } from "../model/unknown";
import { DURATION_RULE, parseDuration } from "../model/duration";
import { MAX_CUSTODIANS, MIN_CUSTODIANS } from "../password/custodians";
import type { LoginProfileInputs } from "../model/types";

/** The properties a LoginProfile accepts; the engine adds `__provider`, which is passed through. */
const KNOWN_PROPERTIES = [
    "userName",
    "password",
    "passwordResetRequired",
    "region",
    "adoptExisting",
    "passwordLength",
    "rotationTrigger",
    "pgpKey",
    "pgpKeys",
    "threshold",
    "rotateBeforeExpiry",
    "rotateAfter",
    "rotateAfterUse",
    "assumeRole",
    "profile",
];

/** IAM's user name rule: `[\w+=,.@-]+`, where `\w` is ASCII letters, digits and underscore. */
const USER_NAME_CHARACTER = /^[A-Za-z0-9_+=,.@-]$/;
/** An AWS region name such as `us-east-1`, `us-gov-west-1` or `eu-isoe-west-1`. */
const REGION = /^[a-z]{2,}(-[a-z]+)+-\d+$/;
/** Standard, padded base64 (whole 4-character groups), the form Terraform's `pgp_key` takes besides armor. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})$/;

/** The result of validating raw inputs: normalised inputs, or the failures that stop them. */
export interface ValidationResult {
    /** The inputs with defaults applied; present even when there are failures, for the engine. */
    readonly inputs: Record<string, unknown>;
    /** Every broken rule; empty when the inputs are valid. */
    readonly failures: CheckFailure[];
}

/**
 * Validates raw inputs from the engine and applies the default `passwordResetRequired: false`.
 * An omitted `passwordLength` stays omitted: its default depends on the account's password policy,
 * which only create and update read (`defaultPasswordLength`).
 */
export function validateInputs(news: Record<string, unknown>): ValidationResult {
    const failures = [
        ...unknownPropertyFailures(news),
        ...userNameFailures(news.userName),
        ...passwordFailures(news.password),
        ...passwordLengthFailures(news.passwordLength, news.password),
        ...rotationTriggerFailures(news.rotationTrigger, news.password),
        ...pgpKeyFailures(news.pgpKey),
        ...custodianFailures(news),
        ...durationFailures("rotateBeforeExpiry", news.rotateBeforeExpiry, 0),
        ...generatedOnlyFailures("rotateAfter", news.rotateAfter, news.password),
        ...durationFailures("rotateAfter", news.rotateAfter, 1),
        // `rotateAfterUse: false` asks for nothing, so it is no error beside a declared password.
        ...generatedOnlyFailures("rotateAfterUse", news.rotateAfterUse === false ? undefined : news.rotateAfterUse, news.password),
        ...optionalBooleanFailures("rotateAfterUse", news.rotateAfterUse),
        ...optionalBooleanFailures("passwordResetRequired", news.passwordResetRequired),
        ...regionFailures(news.region),
        ...optionalBooleanFailures("adoptExisting", news.adoptExisting),
        ...assumeRoleFailures(news.assumeRole),
        ...profileFailures(news.profile),
    ].map(withoutEchoedValue);
    const inputs: Record<string, unknown> = {
        ...news,
        passwordResetRequired: news.passwordResetRequired ?? false,
    };
    return { inputs, failures };
}

/**
 * Properties whose failures are reported without the `property` field. The engine prints a failing
 * property's value next to the reason, and Pulumi CLI 3.259 prints a secret's plaintext there
 * (`property password value {&{{…}}} has a problem`, pkg/resource/deploy/step_generator.go
 * issueCheckFailures). Without the field it prints only "resource 'x' has a problem: <reason>",
 * and every reason starts with the property's name, so the property is still named. A pgpKey that
 * turns out to be a private key must not be printed either, nor an assumeRole's external id.
 */
const VALUE_NOT_ECHOED = new Set(["password", "pgpKey", "pgpKeys", "assumeRole"]);

function withoutEchoedValue(failure: CheckFailure): CheckFailure {
    // A list's entry (`pgpKeys[1]`) is the list's property.
    const property = failure.property.replace(/\[\d+\]$/, "");
    return VALUE_NOT_ECHOED.has(property) ? { property: "", reason: failure.reason } : failure;
}

/** Whether the password is omitted, so the resource generates one. Null counts as omitted. */
export function isAbsent(value: unknown): value is undefined | null {
    return value === undefined || value === null;
}

/**
 * The arguments of a lookup (`getLoginProfile`, `listLoginProfiles`), checked by the resource's
 * own rules before any AWS call: a bad one throws with the reason `check` gives, after the
 * lookup's name. `listLoginProfiles` takes no `userName` (`withUserName` false).
 */
export function requireValidLookup(
    lookup: string,
    args: { readonly userName?: unknown; readonly region?: unknown; readonly assumeRole?: unknown; readonly profile?: unknown },
    withUserName: boolean,
): { userName: string; region: string | undefined } {
    const failures = [
        ...(withUserName ? userNameFailures(args.userName) : []),
        ...regionFailures(args.region),
        ...assumeRoleFailures(args.assumeRole),
        ...profileFailures(args.profile),
    ];
    if (failures.length > 0) {
        throw new LoginProfileError("Invalid", `${lookup}: ${failures.map((f) => f.reason).join("; ")}`);
    }
    return {
        userName: typeof args.userName === "string" ? args.userName : "",
        region: typeof args.region === "string" ? args.region : undefined,
    };
}

/** Narrows validated inputs to their type, throwing on any failure or value still unknown. */
export function requireValidInputs(news: Record<string, unknown>): LoginProfileInputs {
    const { inputs, failures } = validateInputs(news);
    const unknown = KNOWN_PROPERTIES.filter(
        (property) => isUnknown(news[property]) || (Array.isArray(news[property]) && (news[property] as unknown[]).some(isUnknown)),
    );
    const reasons = [...failures.map((f) => f.reason), ...unknown.map((p) => `${p} is still unknown at apply time`)];
    if (reasons.length > 0) {
        throw new InvalidInputsError(reasons);
    }
    // Null means absent (an optional input set to null or to an Output of undefined).
    return Object.fromEntries(Object.entries(inputs).filter(([, value]) => value !== null)) as unknown as LoginProfileInputs;
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
    if (isAbsent(value)) {
        return []; // omitted: the resource generates one
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

/**
 * `passwordLength` shapes a generated password only: next to a declared one it would be silently
 * ignored, which is worse than an error. Whether it is long enough for the account's password
 * policy is known only at create, once the policy has been read.
 */
function passwordLengthFailures(value: unknown, password: unknown): CheckFailure[] {
    const property = "passwordLength";
    if (isAbsent(value) || isUnknown(value)) {
        return [];
    }
    if (typeof password === "string" && !isUnknown(password)) {
        return [{ property, reason: "passwordLength applies only to generated passwords; remove it or remove password" }];
    }
    if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > MAX_PASSWORD_LENGTH) {
        const shown = typeof value === "number" ? String(value) : describeType(value);
        return [{ property, reason: `passwordLength must be a whole number from 1 to ${MAX_PASSWORD_LENGTH}, not ${shown}` }];
    }
    return [];
}

/** `rotationTrigger` regenerates a generated password; a declared one rotates by declaring another. */
function rotationTriggerFailures(value: unknown, password: unknown): CheckFailure[] {
    const property = "rotationTrigger";
    if (isAbsent(value) || isUnknown(value)) {
        return [];
    }
    if (typeof password === "string" && !isUnknown(password)) {
        return [{ property, reason: "rotationTrigger applies only to generated passwords; remove it or remove password" }];
    }
    if (typeof value !== "string") {
        return [{ property, reason: `rotationTrigger must be a string, not ${describeType(value)}` }];
    }
    return [];
}

/**
 * Only the key's shape, cheaply and without the OpenPGP library: `check` then parses a key of the
 * right shape (rules/keys.ts), and create and update parse it again before they encrypt.
 */
function pgpKeyFailures(value: unknown, property = "pgpKey"): CheckFailure[] {
    if (isAbsent(value) || isUnknown(value)) {
        return [];
    }
    if (typeof value !== "string") {
        return [{ property, reason: `${property} must be a string, not ${describeType(value)}` }];
    }
    const text = value.trim();
    if (text === "") {
        return [{ property, reason: `${property} must not be empty: give an OpenPGP public key, armored or base64` }];
    }
    if (text.startsWith("keybase:")) {
        return [
            { property, reason: `${property} must be the public key itself, armored or base64: keybase: references are not supported` },
        ];
    }
    if (text.startsWith("-----BEGIN PGP PRIVATE KEY BLOCK-----")) {
        // Never quoted: this is a secret the program should not hold at all.
        return [
            { property, reason: `${property} must be a public key, but it is a private key: give the public key (gpg --export --armor)` },
        ];
    }
    if (!text.startsWith("-----BEGIN PGP PUBLIC KEY BLOCK-----") && !BASE64.test(text.replace(/\s+/g, ""))) {
        return [
            {
                property,
                reason: `${property} must be an OpenPGP public key, armored (-----BEGIN PGP PUBLIC KEY BLOCK-----) or base64; it is neither`,
            },
        ];
    }
    return [];
}

/**
 * `pgpKeys` and `threshold`: 2 to 10 keys, each of a key's shape, and a threshold from 2 to their
 * number, given together, for a generated password, instead of one `pgpKey`.
 */
function custodianFailures(news: Record<string, unknown>): CheckFailure[] {
    const { pgpKeys, threshold } = news;
    const failures: CheckFailure[] = [];
    if (isAbsent(pgpKeys)) {
        if (!isAbsent(threshold)) {
            failures.push({
                property: "threshold",
                reason: "threshold applies only with pgpKeys: remove it, or give the custodians' keys in pgpKeys",
            });
        }
        return failures;
    }
    if (!isAbsent(news.pgpKey)) {
        failures.push({
            property: "pgpKeys",
            reason: "pgpKeys and pgpKey exclude each other: give one key in pgpKey, or the custodians' keys in pgpKeys",
        });
    }
    failures.push(...generatedOnlyFailures("pgpKeys", pgpKeys, news.password));
    if (isUnknown(pgpKeys)) {
        return failures;
    }
    if (!Array.isArray(pgpKeys)) {
        return [
            ...failures,
            { property: "pgpKeys", reason: `pgpKeys must be a list of OpenPGP public keys, not ${describeType(pgpKeys)}` },
        ];
    }
    if (pgpKeys.length < MIN_CUSTODIANS || pgpKeys.length > MAX_CUSTODIANS) {
        failures.push({
            property: "pgpKeys",
            reason: `pgpKeys must hold ${MIN_CUSTODIANS} to ${MAX_CUSTODIANS} public keys, one per custodian, not ${pgpKeys.length}`,
        });
    }
    pgpKeys.forEach((key, index) => {
        if (isAbsent(key)) {
            failures.push({ property: "pgpKeys", reason: `pgpKeys[${index}] must be an OpenPGP public key, not ${String(key)}` });
        } else {
            failures.push(...pgpKeyFailures(key, `pgpKeys[${index}]`));
        }
    });
    return [...failures, ...thresholdFailures(threshold, pgpKeys.length)];
}

/** `threshold`: required with `pgpKeys`, a whole number from 2 to the number of keys. */
function thresholdFailures(value: unknown, keyCount: number): CheckFailure[] {
    const property = "threshold";
    if (isUnknown(value)) {
        return [];
    }
    if (isAbsent(value)) {
        return [{ property, reason: "threshold is required with pgpKeys: how many custodians together open the password, 2 or more" }];
    }
    const upper = Math.max(MIN_CUSTODIANS, Math.min(keyCount, MAX_CUSTODIANS));
    if (typeof value !== "number" || !Number.isInteger(value) || value < MIN_CUSTODIANS || value > upper) {
        const shown = typeof value === "number" ? String(value) : describeType(value);
        return [{ property, reason: `threshold must be a whole number from 2 to the number of pgpKeys (${upper}), not ${shown}` }];
    }
    return [];
}

/** A duration input: a string such as "90d", of at least `minimumMs` milliseconds. */
function durationFailures(property: string, value: unknown, minimumMs: number): CheckFailure[] {
    if (isAbsent(value) || isUnknown(value)) {
        return [];
    }
    const ms = typeof value === "string" ? parseDuration(value) : undefined;
    if (ms === undefined) {
        const shown = typeof value === "string" ? JSON.stringify(value) : describeType(value);
        return [{ property, reason: `${property} must be a duration, ${DURATION_RULE}; not ${shown}` }];
    }
    if (ms < minimumMs) {
        return [{ property, reason: `${property} must be longer than 0, not ${JSON.stringify(value)}` }];
    }
    return [];
}

/**
 * An input that shapes or rotates a generated password: next to a declared password it would
 * do nothing (the resource never chooses a user's password), which is worse than an error.
 */
function generatedOnlyFailures(property: string, value: unknown, password: unknown): CheckFailure[] {
    if (isAbsent(value) || isUnknown(value) || typeof password !== "string" || isUnknown(password)) {
        return [];
    }
    return [{ property, reason: `${property} applies only to generated passwords; remove it or remove password` }];
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
