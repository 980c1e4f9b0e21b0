import { describe, expect, it } from "vitest";
import { BasicAuth, BearerTokenAuth, parseNetrc, resolveConnection } from "../../../provider/auth";
import { envWith, tempHome, thrown, writeFile } from "./helpers";

describe("parseNetrc", () => {
  it("reads machines, default, quoted tokens, comments, macdef", () => {
    const text = [
      "# comment line",
      "machine a.example.com login token password dapi-a",
      "machine b.example.com",
      "  login alice # trailing comment",
      '  password "with space \\" quote"',
      "  account acct",
      "macdef init",
      "machine fake.example.com login x password y",
      "",
      "machine c.example.com login token password dapi-c",
      "default login anon password anon-pw",
    ].join("\n");
    expect(parseNetrc(text)).toEqual([
      { machine: "a.example.com", login: "token", password: "dapi-a" },
      { machine: "b.example.com", login: "alice", password: 'with space " quote', account: "acct" },
      { machine: "c.example.com", login: "token", password: "dapi-c" },
      { login: "anon", password: "anon-pw" },
    ]);
  });
});

describe(".netrc in resolution", () => {
  const HOST = "https://dbc-netrc.cloud.databricks.com";

  it("login token → Bearer <PAT> for the matching machine", async () => {
    const home = tempHome();
    const file = writeFile(
      home,
      ".netrc",
      "machine other.example.com login token password nope\nmachine DBC-NETRC.cloud.databricks.com login token password dapi-netrc\n",
    );
    const c = resolveConnection({ host: `${HOST}/` }, envWith(home), { homeDir: home });
    expect(c.auth).toBeInstanceOf(BearerTokenAuth);
    expect(c.auth.source).toBe(`machine dbc-netrc.cloud.databricks.com in ${file} (netrc)`);
    expect(await c.auth.headers()).toEqual({ Authorization: "Bearer dapi-netrc" });
  });

  it("another login → Basic", async () => {
    const home = tempHome();
    writeFile(home, ".netrc", "machine dbc-netrc.cloud.databricks.com login alice password pw\n");
    const c = resolveConnection({ host: HOST }, envWith(home), { homeDir: home });
    expect(c.auth).toBeInstanceOf(BasicAuth);
    expect(await c.auth.headers()).toEqual({ Authorization: `Basic ${Buffer.from("alice:pw").toString("base64")}` });
  });

  it("NETRC overrides the path; `default` is never used; configured auth comes first", async () => {
    const home = tempHome();
    const alt = writeFile(home, "alt-netrc", "machine dbc-netrc.cloud.databricks.com login token password from-alt\n");
    writeFile(home, ".netrc", "default login token password generic\n");
    const c = resolveConnection({ host: HOST }, envWith(home, { NETRC: alt }), { homeDir: home });
    expect(await c.auth.headers()).toEqual({ Authorization: "Bearer from-alt" });
    const e = thrown(() => resolveConnection({ host: HOST }, envWith(home), { homeDir: home }));
    expect(e.code).toBe("AUTH_NOT_CONFIGURED");
    const t = resolveConnection({ host: HOST, token: "explicit" }, envWith(home, { NETRC: alt }), { homeDir: home });
    expect(await t.auth.headers()).toEqual({ Authorization: "Bearer explicit" });
  });

  it("authType netrc forces it", async () => {
    const home = tempHome();
    writeFile(home, ".netrc", "machine dbc-netrc.cloud.databricks.com login token password n\n");
    const c = resolveConnection({ host: HOST, authType: "netrc", clientId: "ignored" }, envWith(home), { homeDir: home });
    expect(await c.auth.headers()).toEqual({ Authorization: "Bearer n" });
  });
});
