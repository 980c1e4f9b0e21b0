// azure-client-secret: a Microsoft Entra app's secret (ARM_* or AZURE_* client id, secret and tenant).
// It applies as soon as a secret is set, so that a missing client id or tenant is reported rather than quietly
// replaced by the Azure CLI.
import { entraAuth } from "./entra";
import { anySet, missing, notAzure, type Strategy } from "./strategy";

export const azureClientSecret: Strategy = {
  name: "azure-client-secret",
  family: "azure",
  applies: (a, ctx) => notAzure(ctx) ?? anySet(a, "azure_client_secret"),
  build: (a, ctx) => {
    const bad = notAzure(ctx);
    if (bad) return { unmet: bad };
    return (
      missing(a, "azure_client_id", "azure_client_secret", "azure_tenant_id") ??
      entraAuth(
        {
          kind: "azure-client-secret",
          tenantId: a.azure_tenant_id!.value,
          clientId: a.azure_client_id!.value,
          clientSecret: a.azure_client_secret!.value,
        },
        [a.azure_client_id, a.azure_client_secret, a.azure_tenant_id],
        a,
        ctx,
      )
    );
  },
};
