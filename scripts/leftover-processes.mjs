// `node scripts/leftover-processes.mjs MARKER`: the last stage of `npm test`. Finds every process
// whose environment holds PULUMI_IAM_LP_TEST_RUN=MARKER (scripts/test sets it, so everything the
// run started inherits it, even a plugin the Pulumi CLI started in a process group of its own and
// then orphaned) other than this one and scripts/test itself. Gives them a few seconds to end; then lists what is still
// running, kills it, and exits 1, so that a test that leaves a process behind fails the run.
import { readdirSync, readFileSync } from "node:fs";

const marker = process.argv[2];
if (!marker) {
    console.error("usage: node scripts/leftover-processes.mjs MARKER");
    process.exit(2);
}
const wanted = `PULUMI_IAM_LP_TEST_RUN=${marker}`;

/** The processes that carry the marker, with their command lines; this one and its parent (scripts/test) excluded. */
function marked() {
    const found = [];
    for (const entry of readdirSync("/proc")) {
        const pid = Number(entry);
        if (!Number.isInteger(pid) || pid === process.pid || pid === process.ppid) {
            continue;
        }
        try {
            if (readFileSync(`/proc/${pid}/environ`, "latin1").split("\0").includes(wanted)) {
                const command = readFileSync(`/proc/${pid}/cmdline`, "latin1").split("\0").join(" ").trim();
                found.push({ pid, command });
            }
        } catch {
            // ended meanwhile, or not ours to read
        }
    }
    return found;
}

let left = marked();
for (let waited = 0; left.length > 0 && waited < 5000; waited += 250) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    left = marked();
}
if (left.length === 0) {
    console.log("leftovers: no process started by this test run is still running");
    process.exit(0);
}
console.error(`leftovers: ${left.length} process(es) started by this test run are still running; killing them:`);
for (const { pid, command } of left) {
    console.error(`  ${pid} ${command.slice(0, 200)}`);
    try {
        process.kill(pid, "SIGKILL");
    } catch {
        // already gone
    }
}
process.exit(1);
