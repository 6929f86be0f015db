/** Stack configuration for the hooks' `configure`, shared by the unit and integration suites. */
import type * as dynamic from "@pulumi/pulumi/dynamic";

/** Stack configuration as the dynamic provider host hands it to `configure`. */
export function stackConfig(values: Readonly<Record<string, string>>): dynamic.ConfigureRequest {
    return {
        config: {
            get: (key) => values[key],
            require: (key) => {
                const value = values[key];
                if (value === undefined) {
                    throw new Error(`Missing required configuration key: ${key}`);
                }
                return value;
            },
        },
    };
}
