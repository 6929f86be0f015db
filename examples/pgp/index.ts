import * as pulumi from "@pulumi/pulumi";
import { LoginProfile } from "pulumi-iam-login-profile";

const config = new pulumi.Config();

// The generated password is encrypted to this public key and not kept in state at all.
// Set it with: gpg --export --armor alice@example.com | pulumi config set pgpKey
const profile = new LoginProfile("pgp", {
    userName: config.get("userName") ?? "alice",
    pgpKey: config.require("pgpKey"),
    passwordResetRequired: true,
});

export const keyFingerprint = profile.keyFingerprint;
// pulumi stack output encryptedPassword | base64 --decode | gpg --decrypt
export const encryptedPassword = profile.encryptedPassword;
