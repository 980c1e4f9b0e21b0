// azure-msi: the Azure managed identity of the machine (ARM_USE_MSI), optionally a user-assigned one (ARM_CLIENT_ID).
import { entraAuth } from "./entra";
import { anySet, missing, notAzure, type Strategy } from "./strategy";

export const azureMsi: Strategy = {
  name: "azure-msi",
  family: "azure",
  applies: (a, ctx) => notAzure(ctx) ?? anySet(a, "azure_use_msi"),
  build: (a, ctx) => {
    const bad = notAzure(ctx);
    if (bad) return { unmet: bad };
    return missing(a, "azure_use_msi") ?? entraAuth({ kind: "azure-msi", clientId: a.azure_client_id?.value }, [a.azure_use_msi, a.azure_client_id], a, ctx);
  },
};
