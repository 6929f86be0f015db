import * as fs from "node:fs";
import * as path from "node:path";

const REPO = path.resolve(__dirname, "../..");

describe("README", () => {
    it("shows exactly the code of each example it names, so the usage it documents is type-checked", () => {
        const readme = fs.readFileSync(path.join(REPO, "README.md"), "utf8");
        const blocks = [...readme.matchAll(/<!-- example: (\S+) -->\n```ts\n([\s\S]*?)```/g)];

        expect(blocks.length).toBeGreaterThan(0);
        for (const [, file, code] of blocks) {
            expect({ file, code }).toEqual({ file, code: fs.readFileSync(path.join(REPO, file ?? ""), "utf8") });
        }
    });
});
