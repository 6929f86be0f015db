/**
 * The refresh's warning for profiles it could not check: neither CloudTrail's event history nor a
 * credential report made after the resource last set the password could show a change made
 * outside Pulumi since, so "unchanged" would be a guess. The engine reads a stack's profiles a few
 * at a time, so the profiles of one account that come together are gathered for a moment and
 * named in one warning per account (one more for any that come later), before their reads return.
 */
import { REPORT_RENEWAL_MS, type CredentialReport } from "../aws/credentialReport";

/** A profile whose in-place changes since its last set no source could see. */
export interface BlindSpot {
    /** The account, as messages name it. */
    readonly accountId: string;
    /** The IAM user whose profile it is. */
    readonly userName: string;
    /** Why the event history could not show a change: "CloudTrail's event history could not be read (…)". */
    readonly eventsWhy: string;
    /** Why the credential report could not: it could not be read, or it is older than the last set. */
    readonly reportWhy: string;
}

/**
 * Why a report read could not show a change made after the last set: it was made before. Says
 * when AWS makes a newer one: GenerateCredentialReport keeps a report four hours.
 */
export function reportTooOld(report: CredentialReport): string {
    const renewedAt = new Date(report.generatedAt.getTime() + REPORT_RENEWAL_MS);
    return (
        `the account's credential report was made at ${report.generatedAt.toISOString()}, before the password was last set; ` +
        `AWS makes a newer one from ${renewedAt.toISOString()}, four hours after it`
    );
}

/** How long the reads of one account are gathered before their warning goes out. */
const GATHER_MS = 200;

/** Gathers blind spots per account and warns once for each gathering. */
export class BlindSpotWarnings {
    private readonly gathering = new Map<string, { spots: BlindSpot[]; sent: Promise<void> }>();

    constructor(
        private readonly warn: (message: string) => void,
        private readonly gatherMs: number = GATHER_MS,
    ) {}

    /** Adds `spot` to its account's warning; resolves once that warning is out. */
    add(spot: BlindSpot): Promise<void> {
        const open = this.gathering.get(spot.accountId);
        if (open) {
            open.spots.push(spot);
            return open.sent;
        }
        const spots = [spot];
        const sent = new Promise<void>((resolve) => {
            setTimeout(() => {
                this.gathering.delete(spot.accountId);
                this.warn(blindSpotWarning(spots));
                resolve();
            }, this.gatherMs);
        });
        this.gathering.set(spot.accountId, { spots, sent });
        return sent;
    }
}

/** The warning for the blind spots of one account (all with the same sources, read once per account). */
export function blindSpotWarning(spots: readonly BlindSpot[]): string {
    const [first] = spots;
    if (first === undefined) {
        return "";
    }
    const users = [...new Set(spots.map((spot) => spot.userName))].sort();
    const named = users.map((user) => `"${user}"`).join(", ");
    const profiles = users.length === 1 ? `the login profile of IAM user ${named}` : `the login profiles of IAM users ${named}`;
    return (
        `LoginProfile could not check ${profiles} in account ${first.accountId} for a password changed in place outside Pulumi ` +
        `since this resource last set it: ${first.eventsWhy}, and ${first.reportWhy}. ` +
        `Refresh shows ${users.length === 1 ? "it" : "them"} unchanged without knowing; driftCheckedAt says until when ${users.length === 1 ? "it was" : "each was"} last checked.`
    );
}
