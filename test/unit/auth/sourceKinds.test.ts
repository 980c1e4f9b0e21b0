// AuthProvider.sourceKinds: the typed counterpart of `source`, one kind per place the chosen strategy's values
// came from (the explicit layer split by ResolveOptions.fromStackConfig). The stale-credential hint decides on it.
import { describe, expect, it } from "vitest";
import { resolveConnection } from "../../../provider/auth";
import { envWith, tempHome, writeFile } from "./helpers";

const WS = "https://dbc-1234.cloud.databricks.com";

describe("sourceKinds", () => {
  it("an explicit token is a connection's unless the caller says it came from the stack configuration", () => {
    const env = envWith(tempHome());
    expect(resolveConnection({ host: WS, token: "dapi-1" }, env).auth.sourceKinds).toEqual(["connection"]);
    expect(resolveConnection({ host: WS, token: "dapi-1" }, env, { fromStackConfig: ["token"] }).auth.sourceKinds).toEqual(["stackConfig"]);
    // fromStackConfig names settings: a host from the stack configuration does not make the token stackConfig.
    expect(resolveConnection({ host: WS, token: "dapi-1" }, env, { fromStackConfig: ["host"] }).auth.sourceKinds).toEqual(["connection"]);
  });
  it("mixed layers list every kind the strategy used", () => {
    const env = envWith(tempHome(), { DATABRICKS_CLIENT_ID: "cid" });
    const auth = resolveConnection({ host: WS, clientSecret: "s3cr3t-value" }, env, { fromStackConfig: ["clientSecret"] }).auth;
    expect(auth.sourceKinds).toEqual(["environment", "stackConfig"]);
  });
  it("environment, profile and netrc", () => {
    const home = tempHome();
    expect(resolveConnection({}, envWith(home, { DATABRICKS_HOST: WS, DATABRICKS_TOKEN: "dapi-2" })).auth.sourceKinds).toEqual(["environment"]);
    writeFile(home, ".databrickscfg", `[DEFAULT]\nhost = ${WS}\ntoken = dapi-3\n`);
    // A profile named by the stack configuration still reads its token from the file, fresh on every run.
    expect(resolveConnection({ profile: "DEFAULT" }, envWith(home), { fromStackConfig: ["profile"] }).auth.sourceKinds).toEqual(["profile"]);
    const other = tempHome();
    writeFile(other, ".netrc", "machine dbc-1234.cloud.databricks.com login token password dapi-4\n");
    expect(resolveConnection({ host: WS }, envWith(other)).auth.sourceKinds).toEqual(["netrc"]);
  });
});
