/**
 * What the default CLI display must show for a row of the Drift table (tests/support/driftCases.ts),
 * whichever front door serves the resource: the dynamic resource's type or the plugin's.
 */
import type { DriftCase } from "../support/driftCases";

/** A resource type as a regular-expression fragment. */
function typePattern(type: string): string {
    return type.replace(/\//g, "\\/");
}

/** The line the default display shows for a resource updated by drift on `input`. */
export function updatedLine(type: string, name: string, input: string): RegExp {
    return new RegExp(`~ +${typePattern(type)} +${name} +updated +(\\([\\d.]+m?s\\) +)?\\[diff: ~${input}\\]`);
}

/** What the default display of a refresh (or the refresh part of `preview --refresh`) must show. */
export function expectDisplayed(output: string, type: string, name: string, refresh: DriftCase["refresh"]): void {
    switch (refresh) {
        case "deleted":
            expect(output).toMatch(new RegExp(`- +${typePattern(type)} +${name} +deleted`));
            break;
        case "unchanged":
            expect(output).not.toMatch(new RegExp(`${name} +(updated|deleted)`));
            break;
        default:
            expect(output).toMatch(updatedLine(type, name, refresh.slice(1)));
    }
}

/** What `pulumi preview --refresh` must plan after the refresh it starts with: the drift, as a step. */
export function expectPlanned(output: string, type: string, name: string, refresh: DriftCase["refresh"]): void {
    switch (refresh) {
        case "deleted":
            expect(output).toMatch(new RegExp(`\\+ +${typePattern(type)} +${name} +create`));
            break;
        case "unchanged":
            expect(output).not.toMatch(new RegExp(`${name} +(update|create|replace)`));
            break;
        default:
            // The refresh within a preview is not saved, so the step's inputs are the state's: no [diff: …] here.
            expect(output).toMatch(new RegExp(`~ +${typePattern(type)} +${name} +update`));
    }
}
