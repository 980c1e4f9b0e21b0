// azure-cli: the signed-in Azure CLI (`az login`), for the tenant in ARM_TENANT_ID if set. Any Azure host.
import { entraAuth } from "./entra";
import { notAzure, type Strategy } from "./strategy";

export const azureCli: Strategy = {
  name: "azure-cli",
  family: "azure",
  applies: (_a, ctx) => notAzure(ctx) ?? true,
  build: (a, ctx) => {
    const bad = notAzure(ctx);
    if (bad) return { unmet: bad };
    return entraAuth({ kind: "azure-cli", tenantId: a.azure_tenant_id?.value }, [a.azure_tenant_id], a, ctx);
  },
};
