/**
 * The accounts file: the accounts the runner manages, the role it assumes in each, and the
 * break-glass users there. It is read and checked whole before any stack is touched, and every
 * problem names its entry and field. No message ever repeats a value the file or the environment
 * gave, except a well-formed account id: an external id typed into the wrong field must not reach
 * a CI log through an error message.
 */
import * as fs from "node:fs";

/** One account, as the runner uses it: the external id is resolved (from the file or the environment). */
export interface Account {
    /** The 12-digit account id: the stack's name. */
    readonly accountId: string;
    /** The role the program assumes in the account. */
    readonly roleArn: string;
    /** The external id the role's trust policy expects: a secret, set as secret stack config. */
    readonly externalId: string;
    /** The IAM users (already created by the account's administrators) that get a console password. */
    readonly users: readonly string[];
}

/** The accounts file, checked. */
export interface AccountsFile {
    readonly accounts: readonly Account[];
    /** An OpenPGP public key (armored or base64) to seal every password to, instead of keeping it as a secret output. */
    readonly pgpKey?: string;
}

/** The accounts file is unreadable or breaks a rule; `issues` names each problem. */
export class AccountsError extends Error {
    constructor(
        source: string,
        public readonly issues: readonly string[],
    ) {
        super(issues.map((issue) => `${source}: ${issue}`).join("\n"));
        this.name = "AccountsError";
    }
}

const ACCOUNT_ID = /^\d{12}$/;
// IAM's own patterns: a role's path and name, an external id, a user name.
const ROLE_ARN = /^arn:aws(?:-cn|-us-gov)?:iam::(\d{12}):role\/[\w+=,.@/-]{1,512}$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
const USER_NAME = /^[\w+=,.@-]{1,64}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ENTRY_FIELDS = ["accountId", "roleArn", "externalId", "externalIdEnv", "users"];
const FILE_FIELDS = ["accounts", "pgpKey"];

/** Reads and checks the accounts file `file`; an external id given as `externalIdEnv` is read from `env`. */
export function readAccounts(file: string, env: NodeJS.ProcessEnv = process.env): AccountsFile {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (error) {
        throw new AccountsError(file, [`cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})`]);
    }
    return parseAccounts(text, file, env);
}

/** Checks the text of an accounts file (`source` names it in messages), collecting every problem before it throws. */
export function parseAccounts(text: string, source: string, env: NodeJS.ProcessEnv = process.env): AccountsFile {
    let parsed: unknown;
    try {
        parsed = JSON.parse(text);
    } catch {
        throw new AccountsError(source, ["is not valid JSON"]);
    }
    if (!isObject(parsed) || !Array.isArray(parsed.accounts)) {
        throw new AccountsError(source, ['must be an object with an "accounts" array']);
    }
    const issues: string[] = unknownFields(parsed, FILE_FIELDS, "");
    if (parsed.accounts.length === 0) {
        issues.push('"accounts" is empty: list at least one account');
    }
    if (parsed.pgpKey !== undefined && (typeof parsed.pgpKey !== "string" || parsed.pgpKey.trim() === "")) {
        issues.push('"pgpKey" must be a non-empty string (an OpenPGP public key)');
    }
    const accounts: Account[] = [];
    const seen = new Map<string, number>();
    parsed.accounts.forEach((entry: unknown, index: number) => {
        const account = checkEntry(entry, index, env, issues);
        const accountId =
            isObject(entry) && typeof entry.accountId === "string" && ACCOUNT_ID.test(entry.accountId) ? entry.accountId : undefined;
        const first = accountId === undefined ? undefined : seen.get(accountId);
        if (first !== undefined) {
            issues.push(`accounts[${index}] (${accountId}): accountId repeats accounts[${first}]: one entry per account`);
        } else if (accountId !== undefined) {
            seen.set(accountId, index);
        }
        if (account !== undefined) {
            accounts.push(account);
        }
    });
    if (issues.length > 0) {
        throw new AccountsError(source, issues);
    }
    return { accounts, ...(typeof parsed.pgpKey === "string" ? { pgpKey: parsed.pgpKey } : {}) };
}

/** Checks entry `index`, adding its problems to `issues`; the account when it has none. */
function checkEntry(entry: unknown, index: number, env: NodeJS.ProcessEnv, issues: string[]): Account | undefined {
    if (!isObject(entry)) {
        issues.push(`accounts[${index}] must be an object`);
        return undefined;
    }
    const accountId = typeof entry.accountId === "string" && ACCOUNT_ID.test(entry.accountId) ? entry.accountId : undefined;
    const name = accountId === undefined ? `accounts[${index}]` : `accounts[${index}] (${accountId})`;
    const before = issues.length;
    issues.push(...unknownFields(entry, ENTRY_FIELDS, `${name}: `));
    if (accountId === undefined) {
        issues.push(`${name}: accountId must be a string of 12 digits`);
    }
    const roleAccount = typeof entry.roleArn === "string" ? ROLE_ARN.exec(entry.roleArn)?.[1] : undefined;
    if (roleAccount === undefined) {
        issues.push(`${name}: roleArn must be an IAM role ARN (arn:aws:iam::<accountId>:role/<name>)`);
    } else if (accountId !== undefined && roleAccount !== accountId) {
        issues.push(`${name}: roleArn must name a role in account ${accountId}, not in ${roleAccount}`);
    }
    const externalId = checkExternalId(entry, name, env, issues);
    const users = checkUsers(entry.users, name, issues);
    if (issues.length > before || accountId === undefined || externalId === undefined || users === undefined) {
        return undefined;
    }
    return { accountId, roleArn: entry.roleArn as string, externalId, users };
}

/** The entry's external id, from `externalId` or from the variable `externalIdEnv` names (exactly one of them). */
function checkExternalId(entry: Record<string, unknown>, name: string, env: NodeJS.ProcessEnv, issues: string[]): string | undefined {
    const inline = entry.externalId;
    const variable = entry.externalIdEnv;
    if ((inline === undefined) === (variable === undefined)) {
        issues.push(`${name}: give exactly one of externalId and externalIdEnv (the name of an environment variable that holds it)`);
        return undefined;
    }
    if (variable !== undefined) {
        if (typeof variable !== "string" || !ENV_NAME.test(variable)) {
            issues.push(`${name}: externalIdEnv must be the name of an environment variable`);
            return undefined;
        }
        const value = env[variable];
        if (value === undefined || value === "") {
            issues.push(`${name}: externalIdEnv names ${variable}, which is not set`);
            return undefined;
        }
        if (!EXTERNAL_ID.test(value)) {
            issues.push(`${name}: the external id in ${variable} must be 2 to 1224 characters of letters, digits and +=,.@:/_-`);
            return undefined;
        }
        return value;
    }
    if (typeof inline !== "string" || !EXTERNAL_ID.test(inline)) {
        issues.push(`${name}: externalId must be 2 to 1224 characters of letters, digits and +=,.@:/_-`);
        return undefined;
    }
    return inline;
}

/** The entry's users: a non-empty list of IAM user names, unique as IAM compares them (ignoring case). */
function checkUsers(users: unknown, name: string, issues: string[]): string[] | undefined {
    if (!Array.isArray(users) || users.length === 0) {
        issues.push(`${name}: users must be a non-empty list of IAM user names`);
        return undefined;
    }
    const before = issues.length;
    const seen = new Set<string>();
    users.forEach((user: unknown, i: number) => {
        if (typeof user !== "string" || !USER_NAME.test(user)) {
            issues.push(`${name}: users[${i}] must be an IAM user name (1 to 64 characters of letters, digits and +=,.@_-)`);
        } else if (seen.has(user.toLowerCase())) {
            issues.push(`${name}: users[${i}] repeats ${user} (IAM user names ignore case)`);
        } else {
            seen.add(user.toLowerCase());
        }
    });
    return issues.length > before ? undefined : (users as string[]);
}

/** One issue per field of `value` not in `known` (a misspelt field would otherwise be ignored). */
function unknownFields(value: Record<string, unknown>, known: readonly string[], prefix: string): string[] {
    return Object.keys(value)
        .filter((key) => !known.includes(key))
        .map((key) => `${prefix}unknown field ${JSON.stringify(key)} (expected ${known.join(", ")})`);
}

function isObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}
