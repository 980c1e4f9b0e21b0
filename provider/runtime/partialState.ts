import { PartialApplyError } from "../lifecycle/collection";

/** The input under which Pulumi's dynamic provider host keeps the serialized provider (resources/dynamicResource.ts). */
const PROVIDER_KEY = "__provider";

/**
 * A partial result (lifecycle/collection.ts PartialApplyError) as the engine must record it. The dynamic provider
 * host adds the stored provider to a successful create's or update's outputs, but sends an error's `properties`
 * as they are (@pulumi/pulumi cmd/dynamic-provider, grpcResponseFromError); recorded without it, the state could
 * not be refreshed or destroyed (both load the provider from the outputs). So it is added here, from the inputs.
 */
export function withStoredProvider(e: unknown, inputs: object): unknown {
  if (e instanceof PartialApplyError && e.properties[PROVIDER_KEY] === undefined) {
    const provider = (inputs as Record<string, unknown>)[PROVIDER_KEY];
    if (provider !== undefined) e.properties[PROVIDER_KEY] = provider;
  }
  return e;
}
