import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { BasicAuth, BearerTokenAuth, OAuthM2MAuth, resolveConnection } from "../../../provider/auth";
import { envWith, tempHome, thrown, writeFile } from "./helpers";

const CFG = `
; a comment line
# another
[DEFAULT]
host  = https://adb-1234567890123456.7.azuredatabricks.net/
token = dapi-default

[dev-sp]
host          = https://dbc-a1b2c3d4-e5f6.cloud.databricks.com
client_id     = 00000000-0000-0000-0000-000000000000
client_secret = dose#with;marks=   # a trailing comment

[ACCOUNT]
host          = https://accounts.cloud.databricks.com
account_id    = 11111111-2222-3333-4444-555555555555
client_id     = acc-cid
client_secret = acc-secret

[hostonly]
host = https://dbc-hostonly.cloud.databricks.com

[team.prod]
host  = https://team-prod.cloud.databricks.com
token = dapi-dotted
`;

describe("~/.databrickscfg", () => {
  it("DEFAULT when no profile is named", async () => {
    const home = tempHome();
    const file = writeFile(home, ".databrickscfg", CFG);
    const c = resolveConnection({}, envWith(home), { homeDir: home });
    expect(c.host).toBe("https://adb-1234567890123456.7.azuredatabricks.net");
    expect(c.cloud).toBe("azure");
    expect(c.auth.source).toBe(`profile 'DEFAULT' in ${file} (pat)`);
    expect(await c.auth.headers()).toEqual({ Authorization: "Bearer dapi-default" });
  });

  it("DATABRICKS_CONFIG_PROFILE selects a section; values keep # and ; that follow no space", async () => {
    const home = tempHome();
    const file = writeFile(home, ".databrickscfg", CFG);
    const c = resolveConnection({}, envWith(home, { DATABRICKS_CONFIG_PROFILE: "dev-sp" }), { homeDir: home });
    expect(c.host).toBe("https://dbc-a1b2c3d4-e5f6.cloud.databricks.com");
    expect(c.auth).toBeInstanceOf(OAuthM2MAuth);
    expect(c.auth.source).toBe(`profile 'dev-sp' in ${file} (oauth-m2m)`);
  });

  it("explicit profile wins over DATABRICKS_CONFIG_PROFILE; account profile", () => {
    const home = tempHome();
    writeFile(home, ".databrickscfg", CFG);
    const c = resolveConnection({ profile: "ACCOUNT" }, envWith(home, { DATABRICKS_CONFIG_PROFILE: "dev-sp" }), {
      homeDir: home,
    });
    expect(c).toMatchObject({
      host: "https://accounts.cloud.databricks.com",
      level: "account",
      accountId: "11111111-2222-3333-4444-555555555555",
    });
  });

  it("named sections do not inherit DEFAULT", () => {
    const home = tempHome();
    writeFile(home, ".databrickscfg", CFG);
    const e = thrown(() => resolveConnection({ profile: "hostonly" }, envWith(home), { homeDir: home }));
    expect(e.code).toBe("AUTH_NOT_CONFIGURED");
    expect(e.message).toContain("Config: host=https://dbc-hostonly.cloud.databricks.com, profile=hostonly");
  });

  it("a dotted profile name is one section", async () => {
    const home = tempHome();
    writeFile(home, ".databrickscfg", CFG);
    const c = resolveConnection({ profile: "team.prod" }, envWith(home), { homeDir: home });
    expect(c.host).toBe("https://team-prod.cloud.databricks.com");
    expect(await c.auth.headers()).toEqual({ Authorization: "Bearer dapi-dotted" });
  });

  it("a missing named profile → the spec's error", () => {
    const home = tempHome();
    const file = writeFile(home, ".databrickscfg", CFG);
    const e = thrown(() => resolveConnection({}, envWith(home, { DATABRICKS_CONFIG_PROFILE: "foo" }), { homeDir: home }));
    expect(e.code).toBe("AUTH_PROFILE_NOT_FOUND");
    expect(e.message).toContain(`resolve: ${file} has no foo profile configured. Config: profile=foo. Env: DATABRICKS_CONFIG_PROFILE`);
    expect(e.message).toContain("DEFAULT, dev-sp, ACCOUNT, hostonly, team.prod");
  });

  it("a named profile with no file at all is an error too", () => {
    const home = tempHome();
    const e = thrown(() => resolveConnection({ profile: "dev" }, envWith(home), { homeDir: home }));
    expect(e.code).toBe("AUTH_PROFILE_NOT_FOUND");
    expect(e.message).toContain(`${path.join(home, ".databrickscfg")} has no dev profile configured`);
  });

  it("a missing DEFAULT is skipped silently", () => {
    const home = tempHome();
    writeFile(home, ".databrickscfg", "[other]\nhost = https://x.cloud.databricks.com\ntoken = t\n");
    const e = thrown(() => resolveConnection({}, envWith(home), { homeDir: home }));
    expect(e.code).toBe("AUTH_NOT_CONFIGURED");
  });

  it("DATABRICKS_CONFIG_FILE overrides the path; configFile overrides that; ~ expands", () => {
    const home = tempHome();
    writeFile(home, ".databrickscfg", CFG);
    writeFile(home, "alt.cfg", "[DEFAULT]\nhost = https://alt.cloud.databricks.com\nusername = u\npassword = p\n");
    writeFile(home, "alt2.cfg", "[DEFAULT]\nhost = https://alt2.cloud.databricks.com\ntoken = t2\n");
    const a = resolveConnection({}, envWith(home, { DATABRICKS_CONFIG_FILE: path.join(home, "alt.cfg") }), { homeDir: home });
    expect(a.host).toBe("https://alt.cloud.databricks.com");
    expect(a.auth).toBeInstanceOf(BasicAuth);
    const b = resolveConnection({ configFile: "~/alt2.cfg" }, envWith(home, { DATABRICKS_CONFIG_FILE: path.join(home, "alt.cfg") }), {
      homeDir: home,
    });
    expect(b.host).toBe("https://alt2.cloud.databricks.com");
  });

  it("[__settings__] default_profile picks the section when none is named", () => {
    const home = tempHome();
    writeFile(home, ".databrickscfg", `[__settings__]\ndefault_profile = dev-sp\n${CFG}`);
    const c = resolveConnection({}, envWith(home), { homeDir: home });
    expect(c.host).toBe("https://dbc-a1b2c3d4-e5f6.cloud.databricks.com");
  });

  it("is skipped when no profile is named and host or auth is already set (as the SDKs do)", () => {
    const home = tempHome();
    writeFile(home, ".databrickscfg", CFG);
    // host in the environment: DEFAULT's token must not be sent to another host.
    const e = thrown(() => resolveConnection({}, envWith(home, { DATABRICKS_HOST: "https://other.cloud.databricks.com" }), { homeDir: home }));
    expect(e.code).toBe("AUTH_NOT_CONFIGURED");
    // ...but with a named profile it is read and fills what is missing (explicit host stays).
    const c = resolveConnection({ host: "https://other.cloud.databricks.com", profile: "DEFAULT" }, envWith(home), {
      homeDir: home,
    });
    expect(c.host).toBe("https://other.cloud.databricks.com");
    expect(c.auth).toBeInstanceOf(BearerTokenAuth);
  });

  it("environment above profile: the env's method wins over the profile's", async () => {
    const home = tempHome();
    writeFile(home, ".databrickscfg", CFG);
    const c = resolveConnection({}, envWith(home, { DATABRICKS_CONFIG_PROFILE: "dev-sp", DATABRICKS_TOKEN: "env-tok" }), {
      homeDir: home,
    });
    expect(c.host).toBe("https://dbc-a1b2c3d4-e5f6.cloud.databricks.com");
    expect(await c.auth.headers()).toEqual({ Authorization: "Bearer env-tok" });
  });

  it("ambiguous profile → validate error", () => {
    const home = tempHome();
    writeFile(home, ".databrickscfg", "[DEFAULT]\nhost = https://x.cloud.databricks.com\ntoken = t\nclient_id = c\nclient_secret = s\n");
    const e = thrown(() => resolveConnection({}, envWith(home), { homeDir: home }));
    expect(e.code).toBe("AUTH_AMBIGUOUS");
    expect(e.message).toContain("more than one authorization method configured: oauth and pat");
  });

  it("an unreadable config file → cannot parse config file", () => {
    const home = tempHome();
    const e = thrown(() => resolveConnection({ configFile: home }, envWith(home), { homeDir: home }));
    expect(e.code).toBe("AUTH_CONFIG_FILE");
    expect(e.message).toMatch(/^cannot parse config file: /);
  });

  it("defaults to $HOME from the env argument when homeDir is not given", () => {
    const home = tempHome();
    writeFile(home, ".databrickscfg", CFG);
    const c = resolveConnection({ profile: "team.prod" }, envWith(home));
    expect(c.host).toBe("https://team-prod.cloud.databricks.com");
  });
});
