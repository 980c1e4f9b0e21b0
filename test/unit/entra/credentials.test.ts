import { describe, expect, it } from "vitest";
import { graphUrl, resolveGraphCredential } from "../../../provider/entra/credentials";

describe("resolveGraphCredential", () => {
  it("takes the Azure settings the resources use, by name, never echoing a secret", async () => {
    const secret = await resolveGraphCredential({}, { ARM_CLIENT_ID: "c", ARM_CLIENT_SECRET: "s3cr3t", ARM_TENANT_ID: "t" });
    expect(secret.source).toBe("client secret (ARM_CLIENT_ID, ARM_CLIENT_SECRET, ARM_TENANT_ID)");
    expect(secret.credential.constructor.name).toBe("ClientSecretCredential");
    expect((await resolveGraphCredential({}, { AZURE_CLIENT_ID: "c", AZURE_CLIENT_SECRET: "s", AZURE_TENANT_ID: "t" })).source).toBe(
      "client secret (AZURE_CLIENT_ID, AZURE_CLIENT_SECRET, AZURE_TENANT_ID)",
    );
    expect((await resolveGraphCredential({}, { ARM_USE_MSI: "true", ARM_CLIENT_ID: "c" })).source).toBe("managed identity (ARM_USE_MSI, ARM_CLIENT_ID)");
    expect((await resolveGraphCredential({}, {})).source).toBe("the Azure CLI (az login)");
    await expect(resolveGraphCredential({}, { ARM_CLIENT_ID: "c", ARM_CLIENT_SECRET: "s3cr3t" })).rejects.toThrow(/no tenant: set ARM_TENANT_ID/);
    await expect(resolveGraphCredential({}, { ARM_CLIENT_ID: "c", ARM_CLIENT_SECRET: "s3cr3t" })).rejects.not.toThrow(/s3cr3t/);
  });

  it("the Graph URL from the option, else DATABRICKS_SCIM_GRAPH_URL, else Microsoft's", () => {
    expect(graphUrl({ url: "https://127.0.0.1:1" }, { DATABRICKS_SCIM_GRAPH_URL: "https://x" })).toBe("https://127.0.0.1:1");
    expect(graphUrl({}, { DATABRICKS_SCIM_GRAPH_URL: "https://x" })).toBe("https://x");
    expect(graphUrl({}, {})).toBe("https://graph.microsoft.com");
  });
});
