/**
 * The policy pack `iam-login-profile-compliance`: the rules of rules.ts, served to the Pulumi
 * engine when the CLI runs `policy-pack/` (`pulumi preview --policy-pack <package>/policy-pack`).
 * Loading this module starts the pack's server, as a policy pack's program does.
 */
import { PolicyPack } from "@pulumi/policy";
import { POLICIES, POLICY_PACK_NAME } from "./rules";

new PolicyPack(POLICY_PACK_NAME, { policies: POLICIES });
