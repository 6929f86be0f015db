/**
 * Bad input, one case a broken rule, shared by the unit test (`check` and `create` called directly)
 * and the end-to-end test (`pulumi preview` on the real CLI), so that both levels prove the same
 * cases. Each case gives the raw inputs as a Pulumi program would pass them to `new LoginProfile`
 * and the exact reasons `check` must report. Passwords that are themselves the bad input come
 * from `BAD_PASSWORDS`, so the end-to-end test can pass them as secrets and scan for them.
 */

/** A valid password the cases use where the password is not what is wrong. */
export const GOOD_PASSWORD = "Bad-Input-Good-Passw0rd!";

/** Bad passwords by key; every one must stay out of every message and output. */
export const BAD_PASSWORDS = {
    empty: "",
    tooLong: `Bad-Input-TooLong-${"x".repeat(111)}`,
    latinExtended: "Bad-Input-Passw0rd-\u0100",
    emoji: "Bad-Input-Passw0rd-\u{1F600}",
    nul: "Bad-Input-Passw0rd-\u0000-nul",
    privateUse: "Bad-Input-Passw0rd-\uE000",
} as const;

/** One bad-input case. */
export interface BadInputCase {
    /** What is wrong, as a test title. */
    readonly title: string;
    /** The user name, as declared. */
    readonly userName: unknown;
    /** A key of BAD_PASSWORDS, or undefined for GOOD_PASSWORD; ignored when `extra` sets password. */
    readonly badPassword?: keyof typeof BAD_PASSWORDS;
    /** Other inputs as declared (they override the password too, e.g. `password: null` to generate one). */
    readonly extra?: Readonly<Record<string, unknown>>;
    /** Every reason `check` reports, exactly, in its order. */
    readonly reasons: readonly string[];
}

const USER_NAME_CHARACTERS = "userName may hold only ASCII letters, digits and _+=,.@- (IAM's [\\w+=,.@-]); it contains";
const PASSWORD_CHARACTERS =
    "password may hold only tab, line feed, carriage return and the characters U+0020 to U+00FF; it holds another character";
const GENERATED = { password: null };

/** The cases: at least 30, every input's every rule. */
export const BAD_INPUT_CASES: readonly BadInputCase[] = [
    { title: "userName missing", userName: null, reasons: ["userName is required"] },
    { title: "userName empty", userName: "", reasons: ["userName must be 1 to 64 characters long, not 0"] },
    { title: "userName of 65 characters", userName: "u".repeat(65), reasons: ["userName must be 1 to 64 characters long, not 65"] },
    { title: "userName with a space", userName: "frank smith", reasons: [`${USER_NAME_CHARACTERS} " "`] },
    { title: "userName with a slash", userName: "ops/frank", reasons: [`${USER_NAME_CHARACTERS} "/"`] },
    { title: "userName with a hash", userName: "frank#1", reasons: [`${USER_NAME_CHARACTERS} "#"`] },
    { title: "userName with a non-ASCII letter", userName: "fr\u00e4nk", reasons: [`${USER_NAME_CHARACTERS} "\u00e4"`] },
    { title: "userName with two bad characters", userName: "a b/c", reasons: [`${USER_NAME_CHARACTERS} " ", "/"`] },
    { title: "userName a number", userName: 42, reasons: ["userName must be a string, not a number"] },
    { title: "userName a boolean", userName: true, reasons: ["userName must be a string, not a boolean"] },
    { title: "userName an array", userName: ["frank"], reasons: ["userName must be a string, not an array"] },
    { title: "userName an object", userName: { name: "frank" }, reasons: ["userName must be a string, not an object"] },
    { title: "password empty", userName: "frank", badPassword: "empty", reasons: ["password must be 1 to 128 characters long, not 0"] },
    {
        title: "password of 129 characters",
        userName: "frank",
        badPassword: "tooLong",
        reasons: ["password must be 1 to 128 characters long, not 129"],
    },
    { title: "password holding U+0100", userName: "frank", badPassword: "latinExtended", reasons: [PASSWORD_CHARACTERS] },
    { title: "password holding an emoji", userName: "frank", badPassword: "emoji", reasons: [PASSWORD_CHARACTERS] },
    { title: "password holding NUL", userName: "frank", badPassword: "nul", reasons: [PASSWORD_CHARACTERS] },
    { title: "password holding a private-use character", userName: "frank", badPassword: "privateUse", reasons: [PASSWORD_CHARACTERS] },
    { title: "password a number", userName: "frank", extra: { password: 12345678 }, reasons: ["password must be a string, not a number"] },
    { title: "password a boolean", userName: "frank", extra: { password: true }, reasons: ["password must be a string, not a boolean"] },
    {
        title: "passwordResetRequired a string",
        userName: "frank",
        extra: { passwordResetRequired: "yes" },
        reasons: ["passwordResetRequired must be a boolean (true or false), not a string"],
    },
    {
        title: "passwordResetRequired a number",
        userName: "frank",
        extra: { passwordResetRequired: 1 },
        reasons: ["passwordResetRequired must be a boolean (true or false), not a number"],
    },
    {
        title: "adoptExisting a string",
        userName: "frank",
        extra: { adoptExisting: "true" },
        reasons: ["adoptExisting must be a boolean (true or false), not a string"],
    },
    {
        title: "region not a region name",
        userName: "frank",
        extra: { region: "mars" },
        reasons: ['region must be an AWS region name such as "us-east-1", not "mars"'],
    },
    {
        title: "region a number",
        userName: "frank",
        extra: { region: 5 },
        reasons: ['region must be an AWS region name such as "us-east-1", not a number'],
    },
    {
        title: "passwordLength 0",
        userName: "frank",
        extra: { ...GENERATED, passwordLength: 0 },
        reasons: ["passwordLength must be a whole number from 1 to 128, not 0"],
    },
    {
        title: "passwordLength 129",
        userName: "frank",
        extra: { ...GENERATED, passwordLength: 129 },
        reasons: ["passwordLength must be a whole number from 1 to 128, not 129"],
    },
    {
        title: "passwordLength not whole",
        userName: "frank",
        extra: { ...GENERATED, passwordLength: 12.5 },
        reasons: ["passwordLength must be a whole number from 1 to 128, not 12.5"],
    },
    {
        title: "passwordLength a string",
        userName: "frank",
        extra: { ...GENERATED, passwordLength: "20" },
        reasons: ["passwordLength must be a whole number from 1 to 128, not a string"],
    },
    {
        title: "passwordLength beside a declared password",
        userName: "frank",
        extra: { passwordLength: 24 },
        reasons: ["passwordLength applies only to generated passwords; remove it or remove password"],
    },
    {
        title: "rotationTrigger a number",
        userName: "frank",
        extra: { ...GENERATED, rotationTrigger: 5 },
        reasons: ["rotationTrigger must be a string, not a number"],
    },
    {
        title: "rotationTrigger beside a declared password",
        userName: "frank",
        extra: { rotationTrigger: "2026-11" },
        reasons: ["rotationTrigger applies only to generated passwords; remove it or remove password"],
    },
    {
        title: "pgpKey empty",
        userName: "frank",
        extra: { ...GENERATED, pgpKey: " " },
        reasons: ["pgpKey must not be empty: give an OpenPGP public key, armored or base64"],
    },
    {
        title: "pgpKey a keybase reference",
        userName: "frank",
        extra: { ...GENERATED, pgpKey: "keybase:frank" },
        reasons: ["pgpKey must be the public key itself, armored or base64: keybase: references are not supported"],
    },
    {
        title: "pgpKey a private key",
        userName: "frank",
        extra: { ...GENERATED, pgpKey: "-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nxcLYBGdummy\n-----END PGP PRIVATE KEY BLOCK-----" },
        reasons: ["pgpKey must be a public key, but it is a private key: give the public key (gpg --export --armor)"],
    },
    {
        title: "pgpKey neither armored nor base64",
        userName: "frank",
        extra: { ...GENERATED, pgpKey: "not a key!" },
        reasons: ["pgpKey must be an OpenPGP public key, armored (-----BEGIN PGP PUBLIC KEY BLOCK-----) or base64; it is neither"],
    },
    { title: "pgpKey a number", userName: "frank", extra: { ...GENERATED, pgpKey: 7 }, reasons: ["pgpKey must be a string, not a number"] },
    {
        title: "several rules broken at once",
        userName: "frank smith",
        badPassword: "emoji",
        extra: { passwordResetRequired: "no" },
        reasons: [
            `${USER_NAME_CHARACTERS} " "`,
            PASSWORD_CHARACTERS,
            "passwordResetRequired must be a boolean (true or false), not a string",
        ],
    },
];

/** The raw inputs of a case, as `new LoginProfile(name, args)` receives them. */
export function badInputArgs(badCase: BadInputCase): Record<string, unknown> {
    const password = badCase.badPassword === undefined ? GOOD_PASSWORD : BAD_PASSWORDS[badCase.badPassword];
    return { userName: badCase.userName, password, ...badCase.extra };
}
