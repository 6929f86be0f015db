/**
 * Preloaded (`node --require`, through NODE_OPTIONS) into the node processes a benchmark run of the
 * `pulumi` CLI starts. It acts in two of them and leaves every other node process alone:
 *
 * - the dynamic-provider plugin (pulumi-resource-pulumi-nodejs, started through the wrapper shim
 *   bench/main.ts puts first on PATH, which notes its start in `$BENCH_PROBE_T0`, ns since the
 *   epoch): the time from the shim's start to node running, to the port handshake written to
 *   stdout, to the first RPC answered and to the first `check` answered; every RPC answered, by
 *   method (count, handler time); whether any module of @aws-sdk/client-iam was loaded, while
 *   which RPC, and how long loading it took;
 * - the Pulumi program (@pulumi/pulumi/cmd/run, started by the language host).
 *
 * For both: CPU time (`process.cpuUsage()`) and peak memory (`process.resourceUsage().maxRSS`).
 * The record goes to `$BENCH_PROBE_DIR/<label>.<role>.<pid>.json`, rewritten after every RPC
 * answered, on SIGINT/SIGTERM (how the engine stops a plugin; the program is left to end by itself)
 * and at exit. Plain CommonJS with no
 * dependency, so that it loads before anything else in the process.
 */
"use strict";

const fs = require("node:fs");
const Module = require("node:module");
const path = require("node:path");
const { performance } = require("node:perf_hooks");

const dir = process.env.BENCH_PROBE_DIR;
const script = process.argv[1] || "";
const role = /[\\/]cmd[\\/]dynamic-provider([\\/]|$)/.test(script)
    ? "provider"
    : /[\\/]cmd[\\/]run([\\/]|$)/.test(script)
      ? "program"
      : undefined;

if (dir && role) {
    const now = () => performance.timeOrigin + performance.now();
    const t0 =
        role === "provider" && process.env.BENCH_PROBE_T0
            ? Number(BigInt(process.env.BENCH_PROBE_T0) / 1000n) / 1000
            : performance.timeOrigin;
    const since = (t) => (t === undefined ? null : Math.round((t - t0) * 10) / 10);
    const label = process.env.BENCH_PROBE_LABEL || "unlabelled";
    const file = path.join(dir, `${label.replace(/[^\w.-]/g, "_")}.${role}.${process.pid}.json`);
    const state = {
        handshake: undefined,
        firstRpc: undefined,
        firstRpcMethod: undefined,
        firstCheck: undefined,
        rpcs: {},
        inFlight: [],
        iamClientLoadedDuring: undefined,
        iamClientModule: undefined,
        iamClientLoadMs: undefined,
    };
    const iamClient = /(^|[\\/])@aws-sdk[\\/]client-iam([\\/]|$)/;

    const write = (final) => {
        const iamInCache = final ? Object.keys(require.cache).find((key) => iamClient.test(key)) : undefined;
        const cpu = process.cpuUsage();
        const record = {
            label,
            role,
            pid: process.pid,
            final: final || false,
            msToNode: since(performance.timeOrigin),
            msToHandshake: since(state.handshake),
            msToFirstRpc: since(state.firstRpc),
            firstRpcMethod: state.firstRpcMethod || null,
            msToFirstCheck: since(state.firstCheck),
            rpcs: state.rpcs,
            iamClientLoaded: Boolean(state.iamClientModule || iamInCache),
            iamClientLoadedDuring: state.iamClientLoadedDuring || null,
            iamClientModule: state.iamClientModule || iamInCache || null,
            iamClientLoadMs: state.iamClientLoadMs === undefined ? null : Math.round(state.iamClientLoadMs * 10) / 10,
            cpuMs: Math.round((cpu.user + cpu.system) / 100) / 10,
            maxRssKb: process.resourceUsage().maxRSS,
            msAlive: since(now()),
        };
        try {
            fs.writeFileSync(file, JSON.stringify(record));
        } catch {
            // The probe must never break the process it watches.
        }
    };

    const noteRpc = (method, started) => {
        const ended = now();
        const entry = (state.rpcs[method] ??= { count: 0, ms: 0 });
        entry.count += 1;
        entry.ms = Math.round((entry.ms + (ended - started)) * 10) / 10;
        if (state.firstRpc === undefined) {
            state.firstRpc = ended;
            state.firstRpcMethod = method;
        }
        if (method === "check" && state.firstCheck === undefined) {
            state.firstCheck = ended;
        }
        // Written at once: the engine ends the plugin with a signal soon after its last answer.
        write(false);
    };

    /** Wraps every unary handler of the provider service so that its answer is timed. */
    const patchGrpc = (grpc) => {
        const proto = grpc && grpc.Server && grpc.Server.prototype;
        if (!proto || proto.__benchProbe) {
            return;
        }
        proto.__benchProbe = true;
        const addService = proto.addService;
        proto.addService = function (service, implementation) {
            const wrapped = Object.create(implementation);
            for (const name of Object.keys(service)) {
                const attrs = service[name];
                if (attrs.requestStream || attrs.responseStream) {
                    continue;
                }
                for (const key of new Set([name, attrs.originalName].filter(Boolean))) {
                    const handler = implementation[key];
                    if (typeof handler !== "function") {
                        continue;
                    }
                    wrapped[key] = function (call, callback) {
                        const started = now();
                        state.inFlight.push(name);
                        let answered = false;
                        return handler.call(implementation, call, (...args) => {
                            if (!answered) {
                                answered = true;
                                const at = state.inFlight.indexOf(name);
                                if (at >= 0) {
                                    state.inFlight.splice(at, 1);
                                }
                                noteRpc(name, started);
                            }
                            return callback(...args);
                        });
                    };
                }
            }
            return addService.call(this, service, wrapped);
        };
    };

    if (role === "provider") {
        const load = Module._load;
        Module._load = function (request) {
            const first = state.iamClientModule === undefined && typeof request === "string" && iamClient.test(request);
            const started = first ? now() : 0;
            const exported = load.apply(this, arguments);
            if (request === "@grpc/grpc-js") {
                patchGrpc(exported);
            } else if (first) {
                // The time to load the SDK client module and everything it requires.
                state.iamClientLoadMs = now() - started;
                state.iamClientModule = request;
                state.iamClientLoadedDuring = state.inFlight.length > 0 ? state.inFlight.join(",") : "startup";
            }
            return exported;
        };

        // The plugin's handshake: the port it listens on, the first line it writes to stdout.
        const stdoutWrite = process.stdout.write;
        process.stdout.write = function (chunk, ...rest) {
            if (state.handshake === undefined && /^\d+\s*$/.test(String(chunk))) {
                state.handshake = now();
                write(false);
            }
            return stdoutWrite.call(this, chunk, ...rest);
        };
    }

    process.on("exit", () => write("exit"));
    if (role === "provider") {
        // Record how the plugin was stopped, then let the signal do what it would have done.
        for (const signal of ["SIGINT", "SIGTERM"]) {
            process.once(signal, () => {
                write(signal);
                process.kill(process.pid, signal);
            });
        }
    }
}
