/**
 * The CloudTrail connection of an account: LookupEvents on the event history of the partition's
 * home region, where IAM's events are (eventHistory.ts). The AWS SDK's CloudTrail client is loaded
 * on the first lookup, not at import, as the IAM client is: `pulumi preview` never loads it, and
 * neither does a refresh that has no password to check.
 */
import type { CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import { credentialsKey } from "../model/account";
import { calling } from "./awsError";
import { CallPacer, type TurnClaim } from "./callPacer";
import { accountClientConfig } from "./clientConfig";
import { endpointOf, iamEventsRegion } from "./endpoint";
import { EVENTS_PER_PAGE, type EventHistoryApi } from "./eventHistory";
import { accountBoardDir } from "./quotaBoard";
import { openSharedPace, type SharedPace } from "./sharedPace";
import type { ClientSettings } from "./settings";

type CloudTrailSdk = typeof import("@aws-sdk/client-cloudtrail");

/** LookupEvents is "limited to two per second, per account, per Region" (FACTS.md). */
export const LOOKUP_EVENTS_PER_SECOND = 2;

let sdk: Promise<CloudTrailSdk> | undefined;
const clients = new Map<string, CloudTrailClient>();
/** One pace per account and region, shared by every client that reaches it, with its turns shared on the machine. */
const pacers = new Map<string, { readonly pacer: CallPacer; readonly turns: SharedTurns }>();

/** The event history of the account `settings` reach, in its partition's home region. */
export function connectEventHistory(settings: ClientSettings): EventHistoryApi {
    const region = iamEventsRegion(settings.region);
    return {
        async lookupEvents(eventName, startTime, nextToken) {
            sdk ??= import("@aws-sdk/client-cloudtrail");
            const loaded = await sdk;
            const client = clientFor(loaded, settings, region);
            const response = await calling({ operation: "LookupEvents", endpoint: endpointOf("CloudTrail", region) }, () =>
                client.send(
                    new loaded.LookupEventsCommand({
                        LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: eventName }],
                        StartTime: startTime,
                        MaxResults: EVENTS_PER_PAGE,
                        ...(nextToken !== undefined ? { NextToken: nextToken } : {}),
                    }),
                ),
            );
            return {
                events: (response.Events ?? []).map((event) => ({
                    ...(event.EventName !== undefined ? { eventName: event.EventName } : {}),
                    ...(event.EventTime !== undefined ? { eventTime: event.EventTime } : {}),
                    ...(event.CloudTrailEvent !== undefined ? { cloudTrailEvent: event.CloudTrailEvent } : {}),
                })),
                ...(response.NextToken ? { nextToken: response.NextToken } : {}),
            };
        },
    };
}

/** Forgets every CloudTrail client and pace, as a new provider process starts with none (for tests). */
export function forgetEventHistoryClients(): void {
    clients.clear();
    pacers.clear();
}

/**
 * One client per account (its credentials, as the IAM client's) and region for the process's
 * life. Every attempt, the SDK's retries included, waits for its turn in the account's pace, which
 * the provider processes working in the account on this machine share (quotaBoard.ts).
 */
function clientFor(loaded: CloudTrailSdk, settings: ClientSettings, region: string): CloudTrailClient {
    const account = `${credentialsKey(settings)}\u0000${region}`;
    const key = [account, settings.maxAttempts, settings.retryMode].join("\u0000");
    let client = clients.get(key);
    if (!client) {
        client = new loaded.CloudTrailClient(accountClientConfig(settings, region));
        let pace = pacers.get(account);
        if (!pace) {
            const turns = sharedTurns(client, settings, region);
            pace = { pacer: new CallPacer(LOOKUP_EVENTS_PER_SECOND, undefined, turns.claim), turns };
            pacers.set(account, pace);
        }
        const { pacer, turns } = pace;
        client.middlewareStack.add(
            (next) => async (args) => {
                await turns.find();
                return pacer.run(() => next(args));
            },
            {
                step: "finalizeRequest",
                priority: "low",
                name: "lookupEventsPace",
            },
        );
        clients.set(key, client);
    }
    return client;
}

/** The turns of an account's LookupEvents pace shared on the machine: `find` them before the first call, then `claim` them. */
interface SharedTurns {
    readonly find: () => Promise<void>;
    readonly claim: TurnClaim;
}

/**
 * The turns of the account's LookupEvents pace that its provider processes on this machine share
 * (sharedPace.ts, beside the account's quota board), found at the first lookup (the board's folder
 * may need the credentials' access key id, which the call's signature resolves anyway); none
 * without a board.
 */
function sharedTurns(client: CloudTrailClient, settings: ClientSettings, region: string): SharedTurns {
    let pace: SharedPace | undefined;
    let finding: Promise<void> | undefined;
    return {
        find: () =>
            (finding ??= accountBoardDir(settings, async () => (await client.config.credentials()).accessKeyId).then(
                (dir) => {
                    pace = dir === undefined ? undefined : openSharedPace(`${dir}~LookupEvents-${region}`, 1000 / LOOKUP_EVENTS_PER_SECOND);
                },
                () => undefined, // no credentials: the call itself will say so
            )),
        claim: (notBefore) => pace?.claim(notBefore),
    };
}
