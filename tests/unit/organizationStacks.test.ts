/**
 * The pure parts of examples/organization-stacks: the shards, the command line, the accounts file's
 * checks, the statuses and lines it prints, and the pool. The runs themselves are proven on the
 * real CLI (tests/e2e/organizationStacks*.e2e.test.ts).
 */
import { parseAccounts, AccountsError } from "../../examples/organization-stacks/accounts";
import { parseArguments, UsageError } from "../../examples/organization-stacks/arguments";
import { runPool } from "../../examples/organization-stacks/pool";
import { errorLine, formatHeader, formatResult, formatSummary, statusOf } from "../../examples/organization-stacks/report";
import { parseShard, takeShard, WHOLE } from "../../examples/organization-stacks/shard";

const ENV = { PULUMI_BACKEND_URL: "s3://state", PULUMI_CONFIG_PASSPHRASE: "not-a-real-one" };
const ids = (n: number): { accountId: string }[] => Array.from({ length: n }, (_, i) => ({ accountId: String(100000000000 + i) }));

describe("shards", () => {
    it.each([
        ["1/1", { index: 1, count: 1 }],
        ["2/4", { index: 2, count: 4 }],
        [" 4/4 ", { index: 4, count: 4 }],
    ])("reads %j", (text, shard) => {
        expect(parseShard(text)).toEqual(shard);
    });

    it.each(["0/2", "3/2", "1/0", "1", "a/b", "1/2/3", "-1/2", "1.5/2"])("refuses %j", (text) => {
        expect(parseShard(text)).toBeUndefined();
    });

    it("covers every account once across the n shards, whatever the file's order", () => {
        const accounts = ids(23).reverse();
        const taken = [1, 2, 3, 4].flatMap((index) => takeShard(accounts, { index, count: 4 }).map((a) => a.accountId));
        expect([...taken].sort()).toEqual(ids(23).map((a) => a.accountId));
        expect([1, 2, 3, 4].map((index) => takeShard(accounts, { index, count: 4 }).length)).toEqual([6, 6, 6, 5]);
        expect(takeShard(accounts, { index: 2, count: 4 }).map((a) => a.accountId)).toEqual([
            "100000000001",
            "100000000005",
            "100000000009",
            "100000000013",
            "100000000017",
            "100000000021",
        ]);
        expect(takeShard(accounts, WHOLE)).toHaveLength(23);
    });
});

describe("the command line", () => {
    it("reads an operation and its options", () => {
        expect(parseArguments(["refresh", "--accounts", "a.json", "--concurrency", "8", "--shard", "2/3"], ENV)).toEqual({
            operation: "refresh",
            accountsFile: "a.json",
            concurrency: 8,
            shard: { index: 2, count: 3 },
            backendUrl: "s3://state",
        });
        expect(
            parseArguments(["up", "--accounts", "a.json", "--backend", "file:///x", "--secrets-provider", "awskms://alias/k"], {}),
        ).toMatchObject({
            concurrency: 4,
            shard: WHOLE,
            backendUrl: "file:///x",
            secretsProvider: "awskms://alias/k",
        });
        expect(parseArguments(["--help"], {})).toBeUndefined();
    });

    it.each([
        [["apply", "--accounts", "a.json"], "the operation must be one of preview, up, refresh, destroy"],
        [["up", "down", "--accounts", "a.json"], "one operation at a time: unexpected down"],
        [["up"], "--accounts FILE is required"],
        [["up", "--accounts", "a.json", "--concurrency", "0"], "--concurrency must be a whole number >= 1"],
        [["up", "--accounts", "a.json", "--concurrency", "2.5"], "--concurrency must be a whole number >= 1"],
        [["up", "--accounts", "a.json", "--shard", "3/2"], "--shard must be i/n with 1 <= i <= n"],
    ])("refuses %j: %s", (argv, message) => {
        expect(() => parseArguments(argv, ENV)).toThrow(new UsageError(message));
    });

    it("refuses to start without a backend or a secrets key", () => {
        expect(() => parseArguments(["up", "--accounts", "a.json"], { PULUMI_CONFIG_PASSPHRASE: "x" })).toThrow(
            "no state backend: give --backend URL or set PULUMI_BACKEND_URL (e.g. s3://my-state-bucket)",
        );
        expect(() => parseArguments(["up", "--accounts", "a.json"], { PULUMI_BACKEND_URL: "s3://state" })).toThrow(
            "no secrets key: set PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE, or give --secrets-provider (e.g. awskms://alias/break-glass)",
        );
    });
});

describe("the accounts file", () => {
    const entry = {
        accountId: "111111111111",
        roleArn: "arn:aws:iam::111111111111:role/BreakGlass",
        externalId: "ext-id-1",
        users: ["breakglass"],
    };
    const parse = (value: unknown, env: NodeJS.ProcessEnv = {}) => parseAccounts(JSON.stringify(value), "accounts.json", env);
    const issuesOf = (value: unknown, env: NodeJS.ProcessEnv = {}): readonly string[] => {
        try {
            parse(value, env);
        } catch (error) {
            if (error instanceof AccountsError) {
                return error.issues;
            }
            throw error;
        }
        throw new Error("the file was accepted");
    };

    it("reads the accounts, an external id from the environment among them", () => {
        const read = parse(
            {
                accounts: [
                    entry,
                    {
                        ...entry,
                        accountId: "222222222222",
                        roleArn: "arn:aws:iam::222222222222:role/B",
                        externalId: undefined,
                        externalIdEnv: "EXT",
                    },
                ],
            },
            { EXT: "from-env" },
        );
        expect(read.accounts.map((a) => a.accountId)).toEqual(["111111111111", "222222222222"]);
        expect(read.accounts[1]?.externalId === "from-env").toBe(true);
    });

    it("names every problem by entry and field, and never repeats an external id", () => {
        const secret = "ext-id-typed-in-the-wrong-field";
        const issues = issuesOf({
            accounts: [
                { ...entry, roleArn: "arn:aws:iam::333333333333:role/BreakGlass" },
                { ...entry, accountId: secret, externalId: undefined },
                { ...entry, externalIdEnv: "EXT" },
                { ...entry, accountId: "444444444444", roleArn: "arn:aws:iam::444444444444:role/B", users: ["a", "A"], externalID: "x" },
            ],
        });
        expect(issues).toEqual([
            "accounts[0] (111111111111): roleArn must name a role in account 111111111111, not in 333333333333",
            "accounts[1]: accountId must be a string of 12 digits",
            "accounts[1]: give exactly one of externalId and externalIdEnv (the name of an environment variable that holds it)",
            "accounts[2] (111111111111): give exactly one of externalId and externalIdEnv (the name of an environment variable that holds it)",
            "accounts[2] (111111111111): accountId repeats accounts[0]: one entry per account",
            'accounts[3] (444444444444): unknown field "externalID" (expected accountId, roleArn, externalId, externalIdEnv, users)',
            "accounts[3] (444444444444): users[1] repeats A (IAM user names ignore case)",
        ]);
        expect(issues.some((issue) => issue.includes(secret))).toBe(false);
    });

    it("refuses an account listed twice, a variable that is not set, and an empty list of users", () => {
        const issues = issuesOf({
            accounts: [
                entry,
                entry,
                {
                    ...entry,
                    accountId: "555555555555",
                    roleArn: "arn:aws:iam::555555555555:role/B",
                    externalId: undefined,
                    externalIdEnv: "UNSET",
                    users: [],
                },
            ],
        });
        expect(issues).toContain("accounts[2] (555555555555): externalIdEnv names UNSET, which is not set");
        expect(issues).toContain("accounts[2] (555555555555): users must be a non-empty list of IAM user names");
        expect(issues).toContain("accounts[1] (111111111111): accountId repeats accounts[0]: one entry per account");
    });
});

describe("what the runner prints", () => {
    it("tells each operation's outcome from Pulumi's counts", () => {
        expect(statusOf("up", { create: 2, same: 1 })).toBe("created");
        expect(statusOf("up", { create: 1, update: 1 })).toBe("updated");
        expect(statusOf("up", { same: 3 })).toBe("unchanged");
        expect(statusOf("preview", { create: 2 })).toBe("would create");
        expect(statusOf("preview", { delete: 1 })).toBe("would update");
        expect(statusOf("refresh", { update: 1, same: 19 })).toBe("drifted");
        expect(statusOf("refresh", { same: 3 })).toBe("unchanged");
        expect(statusOf("destroy", { delete: 3 })).toBe("destroyed");
        expect(statusOf("destroy", {})).toBe("unchanged");
    });

    it("prints one line per account, a header of counts and a summary", () => {
        expect(formatResult({ accountId: "111111111111", status: "created", changes: { create: 2, same: 0 }, seconds: 9.06 })).toBe(
            "111111111111  created  (create 2, 9.1 s)",
        );
        expect(
            formatResult({
                accountId: "111111111111",
                status: "failed: x",
                error: "the stack is currently locked by 1 lock(s).",
                seconds: 1,
            }),
        ).toBe("111111111111  failed: the stack is currently locked by 1 lock(s).");
        expect(formatHeader("up", "accounts.json", 20, { index: 1, count: 2 }, 10, 4)).toBe(
            "up: 20 accounts in accounts.json, shard 1/2 takes 10, 4 at a time",
        );
        const results = [
            { accountId: "1", status: "unchanged", seconds: 1 },
            { accountId: "2", status: "failed: x", error: "x", seconds: 1 },
            { accountId: "3", status: "created", seconds: 1 },
        ];
        expect(formatSummary("up", results, 31.44)).toBe("up: 3 accounts: 1 created, 1 unchanged, 1 failed; 31.4 s");
    });

    it("takes Pulumi's first meaningful error line from the Automation API's error", () => {
        const message = [
            "code: 255",
            " stdout: Updating (111111111111):",
            "",
            " stderr: error: the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end or delete the lock file with `pulumi cancel`.",
            "  s3://pulumi-state/.pulumi/locks/x.json: created by ci@runner (pid 1)",
        ].join("\n");
        expect(errorLine(new Error(message))).toBe(
            "the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end or delete the lock file with `pulumi cancel`.",
        );
        expect(errorLine(new Error("    error: update failed\n    error: cannot assume role arn:aws:iam::1:role/x\n"))).toBe(
            "cannot assume role arn:aws:iam::1:role/x",
        );
        expect(errorLine(new Error("spawn pulumi ENOENT"))).toBe("spawn pulumi ENOENT");
    });
});

describe("the pool", () => {
    it("keeps at most K in flight and returns the results in the items' order", async () => {
        let inFlight = 0;
        let most = 0;
        const results = await runPool([5, 1, 4, 2, 3], 2, async (n) => {
            inFlight++;
            most = Math.max(most, inFlight);
            await new Promise((resolve) => setTimeout(resolve, n * 3));
            inFlight--;
            return n * 10;
        });
        expect(results).toEqual([50, 10, 40, 20, 30]);
        expect(most).toBe(2);
    });
});
