/** The plugin's messages to the user go through the engine's Log call, under the resource being served. */
import { engineAddressOf, engineLog, SEVERITY } from "../../provider/plugin/engineLog";

const URN = "urn:pulumi:dev::project::iam-login-profile:index:LoginProfile::breakglass";

describe("engineLog", () => {
    it("sends warnings and notices to the engine under the resource whose request is being served, and others under none", async () => {
        const sent: [number, string, string][] = [];
        const log = engineLog(async (severity, message, urn) => {
            sent.push([severity, message, urn]);
        });

        await log.aboutResource(URN, async () => {
            await Promise.resolve();
            log.inform("waiting for IAM");
        });
        log.warn("cannot read the report");

        expect(sent).toStrictEqual([
            [SEVERITY.info, "waiting for IAM", URN],
            [SEVERITY.warning, "cannot read the report", ""],
        ]);
    });

    it("says a message on stderr when there is no engine, or the engine does not take it", async () => {
        const fallback: string[] = [];
        engineLog(undefined, (message) => fallback.push(message)).warn("no engine");
        engineLog(
            () => Promise.reject(new Error("unavailable")),
            (message) => fallback.push(message),
        ).inform("refused");
        await new Promise((resolve) => setImmediate(resolve));

        expect(fallback).toStrictEqual(["no engine", "refused"]);
    });
});

describe("engineAddressOf", () => {
    it.each<[string[], string | undefined]>([
        [["127.0.0.1:41234"], "127.0.0.1:41234"],
        [["--logtostderr", "-v=9", "127.0.0.1:41234"], "127.0.0.1:41234"],
        [["--tracing", "file:/tmp/trace", "127.0.0.1:41234"], "127.0.0.1:41234"],
        [[], undefined],
    ])("reads the engine's address from %j", (args, address) => {
        expect(engineAddressOf(args)).toBe(address);
    });
});
