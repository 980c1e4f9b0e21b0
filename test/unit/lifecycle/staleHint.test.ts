// The stale-credential hint on a rejected credential (lifecycle/define.ts) is chosen by the typed
// AuthError.authSourceKinds, never by the wording of the source text: a credential from the stack configuration
// gets it whatever its text says, and text that merely mentions the stack configuration does not. The last case
// follows the type from the runtime's credential inputs through provider/auth and a real 403 to the lifecycle.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuthError, type CredentialSourceKind, type ScimClient } from "../../../provider/client";
import { STALE_CONFIG_HINT, withConnection } from "../../../provider/lifecycle/define";
import { resolveFor } from "../../../provider/runtime/connection";
import { clientFor, startServer, WS, type TestServer } from "../client/helpers";

const STACK_TEXT = "databricks-scim:token from the stack configuration (pat)";

function rejecting(authSource: string, authSourceKinds?: CredentialSourceKind[]) {
  const base = {
    delete: async () => {
      throw new AuthError({ method: "DELETE", path: "/x", status: 403, origin: "https://h", authSource, authSourceKinds } as never);
    },
  };
  return withConnection(base as never);
}

async function messageOf(p: Promise<unknown>): Promise<string> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AuthError);
  return (e as AuthError).message;
}

describe("the stale-credential hint keys on the source's type", () => {
  it("a stackConfig source gets the hint even when its text does not say so", async () => {
    const m = await messageOf(rejecting("a saved credential (pat)", ["stackConfig"]).delete("1", {}));
    expect(m).toBe(`a saved credential (pat) was rejected by https://h: 403 (DELETE /x)${STALE_CONFIG_HINT}`);
  });
  it("text naming the stack configuration gets no hint when the type says otherwise, or is unknown", async () => {
    for (const kinds of [["environment"], ["connection", "profile"], undefined] as const) {
      const m = await messageOf(rejecting(STACK_TEXT, kinds && [...kinds]).delete("1", {}));
      expect(m).toBe(`${STACK_TEXT} was rejected by https://h: 403 (DELETE /x)`);
    }
  });
  it("one kind among several is enough (client id from the environment, secret from the stack configuration)", async () => {
    const m = await messageOf(rejecting("DATABRICKS_CLIENT_ID from the environment and … (oauth-m2m)", ["environment", "stackConfig"]).delete("1", {}));
    expect(m.endsWith(STALE_CONFIG_HINT)).toBe(true);
  });
});

describe("the type travels from the credential inputs to the AuthError", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer(() => ({ status: 403, body: { error_code: 403, message: "Invalid access token." } }));
  });
  afterAll(async () => {
    await server.close();
  });

  const cases: { name: string; stack: Record<string, string>; env: NodeJS.ProcessEnv; kinds: CredentialSourceKind[]; hint: boolean }[] = [
    { name: "stack config token", stack: { token: "dapi-stack-0001" }, env: {}, kinds: ["stackConfig"], hint: true },
    { name: "DATABRICKS_TOKEN", stack: {}, env: { DATABRICKS_TOKEN: "dapi-env-0001" }, kinds: ["environment"], hint: false },
  ];
  for (const c of cases) {
    it(`${c.name}: sourceKinds ${c.kinds.join(", ")}, hint ${c.hint}`, async () => {
      const conn = resolveFor({ host: server.url, level: "workspace" }, c.stack, { HOME: "/nonexistent-home", ...c.env });
      expect(conn.auth.sourceKinds).toEqual(c.kinds);
      const client: ScimClient = clientFor(server, { auth: conn.auth, retry: { maxRetries: 0, minDelayMs: 1, maxDelayMs: 1 } });
      try {
        const lc = withConnection({ delete: () => client.users.get("42") } as never);
        const m = await messageOf(lc.delete("1", {}));
        expect(m.startsWith(`${conn.auth.source} was rejected by ${server.url}: 403 Invalid access token. (GET ${WS}/Users/42)`)).toBe(true);
        expect(m.endsWith(STALE_CONFIG_HINT)).toBe(c.hint);
      } finally {
        await client.close();
      }
    });
  }
});
