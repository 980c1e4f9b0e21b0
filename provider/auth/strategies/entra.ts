// What the three azure strategies share: a Microsoft Entra credential from @azure/identity for an Azure host.
import type { Attrs, Value } from "../attributes";
import { AzureEntraAuth, type AzureCredentialRequest } from "../azure";
import { describeSource, sourceKindsOf } from "../describe";
import { azureAuthorityFor } from "../host";
import type { AuthProvider } from "../types";
import type { StrategyContext } from "./strategy";

/** `values` are the attributes the credential came from, for its source text. */
export function entraAuth(req: AzureCredentialRequest, values: (Value | undefined)[], a: Attrs, ctx: StrategyContext): AuthProvider {
  const authorityHost = ctx.azureCredentialOptions?.authorityHost ?? azureAuthorityFor(ctx.host, a.azure_environment?.value);
  const fromNothing = req.kind === "azure-cli" && values.every((v) => v === undefined);
  return new AzureEntraAuth({
    request: req,
    source: fromNothing ? "the Azure CLI (azure-cli)" : describeSource(values, req.kind),
    sourceKinds: fromNothing ? ["azureCli"] : sourceKindsOf(values),
    resourceId: ctx.level === "workspace" ? a.azure_workspace_resource_id?.value : undefined,
    credentialFactory: ctx.azureCredentialFactory,
    credentialOptions: { ...ctx.azureCredentialOptions, ...(authorityHost ? { authorityHost } : {}) },
  });
}
