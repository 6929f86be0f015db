/** State bytes per resource, from `pulumi stack export` and the backend's state file. */
import * as fs from "node:fs";
import * as path from "node:path";
import { filesUnder, type StackExport, type TestProject } from "../tests/e2e/harness";
import { RESOURCE_TYPES, type Kind, type StateSize } from "./model";

export async function stateSize(project: TestProject, kind: Kind, n: number): Promise<StateSize> {
    const exported: StackExport = await project.exportStack();
    const type = RESOURCE_TYPES[kind];
    const resources = (exported.deployment.resources ?? []).filter((r) => r.type === type);
    if (resources.length !== n) {
        throw new Error(`${kind} N=${n}: expected ${n} resources of ${type} in state, found ${resources.length}`);
    }
    const providers = new Set<string>();
    let copies = 0;
    for (const r of resources) {
        for (const bag of [r.inputs, r.outputs]) {
            const provider = bag?.__provider;
            if (typeof provider === "string") {
                providers.add(provider);
                copies++;
            }
        }
    }
    if (providers.size !== 1) {
        throw new Error(`${kind} N=${n}: expected one serialized provider shared by all resources, found ${providers.size}`);
    }
    const [provider] = [...providers];
    return {
        kind,
        n,
        stateFileBytes: fs.statSync(stateFile(project, `n${n}`)).size,
        exportBytes: Buffer.byteLength(JSON.stringify(exported)),
        resourceBytes: Math.round(resources.reduce((sum, r) => sum + Buffer.byteLength(JSON.stringify(r)), 0) / n),
        serializedProviderBytes: Buffer.byteLength(provider ?? ""),
        providerCopies: copies / n,
    };
}

/** The stack's state file in the project's file backend (.state/.pulumi/stacks/<project>/<stack>.json). */
function stateFile(project: TestProject, stack: string): string {
    const stacks = path.join(project.dir, ".state", ".pulumi", "stacks");
    const found = [...filesUnder(stacks)].filter((file) => path.basename(file) === `${stack}.json`);
    if (found.length !== 1 || !found[0]) {
        throw new Error(`expected one state file ${stack}.json under ${stacks}, found ${found.length}`);
    }
    return found[0];
}
