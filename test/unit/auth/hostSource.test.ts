import { describe, expect, it } from "vitest";
import { resolveConnection } from "../../../provider/auth";
import { envWith, tempHome, writeFile } from "./helpers";

const WS = "https://dbc-a1b2c3d4-e5f6.cloud.databricks.com";
const OTHER = "https://dbc-other.cloud.databricks.com";

// The resolved connection says where its host came from (the client names it when the host cannot be reached).
describe("hostSource", () => {
  it("the environment: from DATABRICKS_HOST", () => {
    const c = resolveConnection({}, envWith(tempHome(), { DATABRICKS_HOST: WS, DATABRICKS_TOKEN: "dapi-secret-1" }));
    expect(c.hostSource).toBe("from DATABRICKS_HOST");
  });

  it("a profile: from profile 'name' in the file", () => {
    const home = tempHome();
    const file = writeFile(home, ".databrickscfg", `[dev]\nhost = ${WS}\ntoken = dapi-secret-2\n`);
    const c = resolveConnection({ profile: "dev" }, envWith(home), { homeDir: home });
    expect(c.hostSource).toBe(`from profile 'dev' in ${file}`);
  });

  it("an explicit setting: its origin as the caller names it, else connection settings; it outranks the environment", () => {
    const env = envWith(tempHome(), { DATABRICKS_HOST: OTHER, DATABRICKS_TOKEN: "dapi-secret-3" });
    expect(resolveConnection({ host: WS }, env).hostSource).toBe("from connection settings");
    const named = resolveConnection({ host: WS }, env, { settingsOrigins: { host: "stack config databricks-scim:host" } });
    expect(named).toMatchObject({ host: WS, hostSource: "from stack config databricks-scim:host" });
  });

  it("names a source, never a credential", () => {
    const c = resolveConnection({ token: "dapi-secret-4" }, envWith(tempHome(), { DATABRICKS_HOST: WS }));
    expect(c.hostSource).not.toContain("dapi-secret-4");
    expect(c.hostSource).toBe("from DATABRICKS_HOST");
  });
});
