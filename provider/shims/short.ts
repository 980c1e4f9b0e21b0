import { SHIM_CODES, type ResourceKind } from "../lifecycle/types";

/**
 * What the package's `s.js` exports: for each kind's code (lifecycle/types.ts SHIM_CODES), an object whose
 * `handler()` returns that kind's shim module, which is what Pulumi's dynamic provider host calls on the module
 * the stored text `module.exports=require('pulumi-databricks-scim/s').<code>` evaluates to
 * (`requireFromString(text).handler()`, @pulumi/pulumi cmd/dynamic-provider).
 */
/* eslint-disable @typescript-eslint/no-require-imports */
export = Object.freeze(
  Object.fromEntries((Object.entries(SHIM_CODES) as [ResourceKind, string][]).map(([kind, code]) => [code, { handler: () => require(`./${kind}`) }])),
);
