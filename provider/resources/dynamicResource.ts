import * as pulumi from "@pulumi/pulumi";
import type { ResourceKind } from "../lifecycle/types";
import { hideDeclarationTrace } from "./declarationTrace";

/**
 * The base of every resource in this package: a Pulumi dynamic resource (type `pulumi-nodejs:dynamic/scim:*`,
 * run by Pulumi's own dynamic provider host) whose stored provider is one line of source.
 *
 * Why not `pulumi.dynamic.Resource`: it stores the closure serializer's wrapper around the provider object
 * (about 330 bytes, twice per resource, in inputs and outputs). The host only needs a module whose `handler()`
 * returns the provider (`requireFromString(text).handler()`, @pulumi/pulumi cmd/dynamic-provider), so we store
 * exactly that: a require() of this kind's shim module, resolved from the program's directory where the
 * package is installed. It holds no credentials and never changes between releases, so refresh and destroy
 * (which use the stored text) always run the installed version. This saves about 490 bytes per resource.
 */
export function providerSource(modulePath: string): string {
  return `exports.handler=()=>require(${JSON.stringify(modulePath)})`;
}

export abstract class ScimDynamicResource extends pulumi.CustomResource {
  protected constructor(kind: ResourceKind, type: string, name: string, props: pulumi.Inputs, opts?: pulumi.CustomResourceOptions) {
    // No call stack in the state (./declarationTrace.ts): about 600 bytes per resource nothing reads back.
    const restore = hideDeclarationTrace();
    try {
      super(
        `pulumi-nodejs:dynamic/scim:${type}`,
        name,
        { ...props, __provider: providerSource(`pulumi-databricks-scim/dist/provider/shims/${kind}.js`) },
        opts,
      );
    } finally {
      restore();
    }
  }
}
