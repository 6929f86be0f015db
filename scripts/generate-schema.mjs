// Generates the provider plugin's Pulumi package schema (provider/plugin/schema.json) from the
// TypeScript sources, so that the plugin and the SDKs generated from it document every input and
// output with the very TSDoc the TypeScript types carry, and cannot drift from them.
//
//   node scripts/generate-schema.mjs           writes provider/plugin/schema.json
//   node scripts/generate-schema.mjs --check   exits 1 when the committed file is not current
//
// Sources: LoginProfileArgs and the LoginProfile class's outputs (provider/dynamic/resource.ts), the
// lookups' argument and result types (provider/dynamic/lookups.ts, provider/lifecycle/lookup.ts), and the
// provider's configuration (StackSettings, provider/aws/settings.ts).
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const repo = join(dirname(fileURLToPath(import.meta.url)), "..");
const target = join(repo, "provider", "plugin", "schema.json");
const pkg = "iam-login-profile";

/** The interface or class `name` of a source file. */
function declaration(file, name) {
    const source = ts.createSourceFile(file, readFileSync(join(repo, file), "utf8"), ts.ScriptTarget.Latest, true);
    const found = source.statements.find((s) => (ts.isInterfaceDeclaration(s) || ts.isClassDeclaration(s)) && s.name?.text === name);
    if (!found) {
        throw new Error(`${name} not found in ${file}`);
    }
    return found;
}

/** A member's TSDoc as the schema's description: the text, then "Default: …" from @default. */
function description(member) {
    const docs = ts.getJSDocCommentsAndTags(member).filter(ts.isJSDoc);
    const doc = docs[docs.length - 1];
    const text = (ts.getTextOfJSDocComment(doc?.comment) ?? "").replace(/\s*\n\s*/g, " ").trim();
    const defaults = (doc?.tags ?? [])
        .filter((tag) => tag.tagName.text === "default")
        .map((tag) => `Default: ${(ts.getTextOfJSDocComment(tag.comment) ?? "").replace(/\s*\n\s*/g, " ").trim()}.`);
    return [text, ...defaults].filter(Boolean).join(" ");
}

/** The schema type of a TypeScript type (pulumi.Input<…>/Output<…> unwrapped). */
function schemaType(typeNode, overrides) {
    let text = typeNode
        .getText()
        .replace(/^pulumi\.(Input|Output)<(.*)>$/s, "$2")
        .replace(/\s*\|\s*undefined$/, "");
    if (overrides) {
        return overrides;
    }
    if (text.startsWith("readonly ")) {
        text = text.slice("readonly ".length);
    }
    if (text === "string" || text === "boolean") {
        return { type: text };
    }
    if (text === "number") {
        return { type: "number" };
    }
    const array = /^(\w+)\[\]$/.exec(text);
    if (array) {
        return { type: "array", items: { $ref: `#/types/${pkg}:index:${array[1]}` } };
    }
    throw new Error(`no schema type for ${text}`);
}

/**
 * The properties of an interface or class: those named in `only` (all when undefined), each with
 * its type, description, and the flags in `flags` (secret, or a type override).
 */
function properties(file, name, { only, flags = {} } = {}) {
    const members = declaration(file, name).members.filter((m) => m.name && (ts.isPropertySignature(m) || ts.isPropertyDeclaration(m)));
    const result = {};
    const required = [];
    for (const member of members) {
        const key = member.name.getText();
        if (only && !only.includes(key)) {
            continue;
        }
        const { type: override, ...rest } = flags[key] ?? {};
        result[key] = { ...schemaType(member.type, override), description: description(member), ...rest };
        // Optional: `key?:`, or an output that may be undefined (`pulumi.Output<T | undefined>`).
        if (!member.questionToken && !/\|\s*undefined\s*>$/.test(member.type.getText())) {
            required.push(key);
        }
    }
    return { properties: result, required };
}

/** Two property sets as one: an interface and the one it extends. */
function merged(first, second) {
    return { properties: { ...first.properties, ...second.properties }, required: [...first.required, ...second.required] };
}

function build() {
    const manifest = JSON.parse(readFileSync(join(repo, "package.json"), "utf8"));
    const assumeRoleRef = { type: { $ref: `#/types/${pkg}:index:AssumeRole` } };
    const account = properties("provider/dynamic/resource.ts", "AccountArgs", { flags: { assumeRole: assumeRoleRef } });
    const inputs = merged(
        properties("provider/dynamic/resource.ts", "LoginProfileArgs", {
            flags: {
                password: { secret: true },
                passwordLength: { type: { type: "integer" } },
                threshold: { type: { type: "integer" } },
                pgpKeys: { type: { type: "array", items: { type: "string" } } },
            },
        }),
        account,
    );
    const outputs = properties("provider/dynamic/resource.ts", "LoginProfile", { flags: { password: { secret: true } } });
    const lookupAccount = properties("provider/dynamic/lookups.ts", "LookupAccountArgs", { flags: { assumeRole: assumeRoleRef } });
    const lookupArgs = merged(properties("provider/dynamic/lookups.ts", "GetLoginProfileArgs"), lookupAccount);
    const lookup = properties("provider/lifecycle/lookup.ts", "LoginProfileLookup");
    const listArgs = merged(properties("provider/dynamic/lookups.ts", "ListLoginProfilesArgs"), lookupAccount);
    const assumeRole = properties("provider/model/account.ts", "AssumeRole", {
        flags: { externalId: { secret: true }, durationSeconds: { type: { type: "integer" } } },
    });
    const inventory = properties("provider/lifecycle/lookup.ts", "LoginProfileInventory", {
        flags: { ageSeconds: { type: { type: "integer" } } },
    });
    const consoleUser = properties("provider/lifecycle/lookup.ts", "ConsoleUser");
    const encryptedShare = properties("provider/model/types.ts", "EncryptedShare");
    const settings = properties("provider/aws/settings.ts", "StackSettings", {
        flags: { assumeRole: assumeRoleRef, maxRetries: { type: { type: "integer" } }, retryMode: { type: { type: "string" } } },
    });
    const classDoc = description(declaration("provider/dynamic/resource.ts", "LoginProfile"));
    return {
        name: pkg,
        displayName: "IAM login profile",
        version: manifest.version,
        description: manifest.description,
        keywords: ["pulumi", "aws", "iam", "category/cloud", "kind/native"],
        homepage: "https://www.npmjs.com/package/pulumi-iam-login-profile",
        license: manifest.license,
        repository: "https://www.npmjs.com/package/pulumi-iam-login-profile",
        publisher: "pulumi-iam-login-profile",
        meta: { moduleFormat: "(.*)" },
        language: {
            // respectSchemaVersion: each SDK carries this version and asks the engine for the plugin
            // of the same version, the release `pulumi plugin install` puts in place.
            nodejs: {
                packageName: "@pulumi-iam-login-profile/sdk",
                dependencies: { "@pulumi/pulumi": "^3.270.0" },
                respectSchemaVersion: true,
            },
            python: { packageName: "pulumi_iam_login_profile", requires: { pulumi: ">=3.270.0,<4.0.0" }, respectSchemaVersion: true },
            go: {
                // The Go SDK is the module <repository>/sdk (scripts/generate-sdks), tagged sdk/v<version>.
                importBasePath: `${goRepository(manifest)}/sdk/go/iamloginprofile`,
                generateResourceContainerTypes: false,
                respectSchemaVersion: true,
            },
        },
        // Stack config iam-login-profile:<key> for the default provider; inputs of an explicit one.
        config: { variables: settings.properties },
        provider: {
            description:
                "The iam-login-profile provider: AWS credentials come from the AWS SDK's default chain (environment, shared config and SSO profiles, container and instance metadata), or from a role it assumes with them (`assumeRole`), never from inputs or state. One explicit provider per account, built in a loop, manages profiles across an organization.",
            inputProperties: settings.properties,
        },
        types: {
            [`${pkg}:index:AssumeRole`]: {
                type: "object",
                description: "A role to assume (STS AssumeRole) for the credentials of the account a profile lives in.",
                ...assumeRole,
            },
            [`${pkg}:index:EncryptedShare`]: {
                type: "object",
                description: "One custodian's share of a generated password, encrypted to the custodian's key.",
                ...encryptedShare,
            },
            [`${pkg}:index:ConsoleUser`]: {
                type: "object",
                description: "One IAM user with a console password, as the account has it now.",
                ...consoleUser,
            },
        },
        resources: {
            [`${pkg}:index:LoginProfile`]: {
                description: classDoc,
                inputProperties: inputs.properties,
                requiredInputs: inputs.required,
                properties: outputs.properties,
                required: outputs.required,
            },
        },
        functions: {
            [`${pkg}:index:getLoginProfile`]: {
                description: "Reads an IAM user's login profile as AWS reports it (GetLoginProfile), never a password.",
                inputs: { properties: lookupArgs.properties, required: lookupArgs.required },
                outputs: { properties: lookup.properties, required: lookup.required },
            },
            [`${pkg}:index:listLoginProfiles`]: {
                description:
                    "Every IAM user of the account with a console password, from the IAM credential report (two calls however many users).",
                inputs: { properties: listArgs.properties, required: listArgs.required },
                outputs: { properties: inventory.properties, required: inventory.required },
            },
        },
    };
}

const text = `${JSON.stringify(build(), null, 2)}\n`;
if (process.argv.includes("--check")) {
    let current = "";
    try {
        current = readFileSync(target, "utf8");
    } catch {
        // missing counts as stale
    }
    if (current !== text) {
        console.error("provider/plugin/schema.json is not current: run node scripts/generate-schema.mjs");
        process.exit(1);
    }
    console.log("provider/plugin/schema.json is current");
} else {
    writeFileSync(target, text);
    console.log(`wrote ${target}`);
}

/** The repository as a Go import path (github.com/owner/name), from package.json's `repository.url`. */
function goRepository(manifest) {
    return manifest.repository.url.replace(/^(git\+)?https:\/\//, "").replace(/\.git$/, "");
}
