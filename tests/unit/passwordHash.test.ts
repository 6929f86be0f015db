/** The salted hash that lets diff see a changed declared password when a pgpKey keeps it out of state. */
import fc from "fast-check";
import { hashPassword, matchesHash } from "../../provider/password/hash";
import { NEW_PASSWORD, PASSWORD, VALID_PASSWORDS } from "./fixtures";

describe("hashPassword", () => {
    it('is "scrypt$<16-byte salt, base64>$<32-byte hash, base64>"', () => {
        const [scheme, salt, hash, ...rest] = hashPassword(PASSWORD).split("$");

        expect(scheme).toBe("scrypt");
        expect(Buffer.from(salt ?? "", "base64")).toHaveLength(16);
        expect(Buffer.from(hash ?? "", "base64")).toHaveLength(32);
        expect(rest).toStrictEqual([]);
    });

    it("salts every hash: the same password hashes differently each time", () => {
        expect(hashPassword(PASSWORD)).not.toBe(hashPassword(PASSWORD));
    });

    it("is deterministic for a given salt", () => {
        const salt = Buffer.alloc(16, 7);

        expect(hashPassword(PASSWORD, salt)).toBe(hashPassword(PASSWORD, salt));
    });

    it.each(VALID_PASSWORDS)("matches the password it was made from, and no other (%#)", (password) => {
        const stored = hashPassword(password);

        expect(matchesHash(password, stored)).toBe(true);
        expect(matchesHash(`${password}x`, stored)).toBe(false);
    });

    it("never equals nor contains the password, nor its base64", () => {
        fc.assert(
            fc.property(fc.string({ minLength: 1, maxLength: 128 }), (password) => {
                const stored = hashPassword(password);

                expect(stored).not.toBe(password);
                for (const part of stored.split("$")) {
                    expect(part).not.toBe(password);
                }
                if (password.length >= 4) {
                    expect(stored).not.toContain(password);
                    expect(stored).not.toContain(Buffer.from(password, "utf8").toString("base64"));
                }
            }),
            // scrypt is slow on purpose (about 50 ms a hash).
            { numRuns: 40 },
        );
    });
});

describe("matchesHash", () => {
    it("tells a changed password from the same one", () => {
        const stored = hashPassword(PASSWORD);

        expect(matchesHash(PASSWORD, stored)).toBe(true);
        expect(matchesHash(NEW_PASSWORD, stored)).toBe(false);
    });

    it.each([
        ["another scheme", hashPassword(PASSWORD).replace(/^scrypt/, "bcrypt")],
        ["a missing hash", "scrypt$c2FsdA=="],
        ["an extra part", `${hashPassword(PASSWORD)}$x`],
        ["a hash of the wrong size", "scrypt$c2FsdA==$aGFzaA=="],
        ["an empty string", ""],
    ])("does not match %s, so the password is set again (the safe side)", (_case, stored) => {
        expect(matchesHash(PASSWORD, stored)).toBe(false);
    });
});
