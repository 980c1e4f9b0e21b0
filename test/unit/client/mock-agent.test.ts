// The client with an injected undici MockAgent (no sockets): exact request matching, including body and headers.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MockAgent } from "undici";
import { ConflictError, ScimClient, staticToken } from "../../../provider/client";
import { TOKEN, SOURCE, rejectionOf } from "./helpers";

const ORIGIN = "https://accounts.cloud.databricks.com";
const BASE = "/api/2.0/accounts/acc-123/scim/v2";
let agent: MockAgent;
let client: ScimClient;

beforeEach(() => {
  agent = new MockAgent();
  agent.disableNetConnect();
  client = new ScimClient({
    host: ORIGIN,
    level: "account",
    accountId: "acc-123",
    auth: staticToken(TOKEN, SOURCE),
    dispatcher: agent,
    rateLimits: false,
    retry: { minDelayMs: 1, maxDelayMs: 2 },
  });
});
afterEach(async () => {
  agent.assertNoPendingInterceptors();
  await agent.close();
});

describe("MockAgent", () => {
  it("account PATCH deactivation: exact method, path, headers and body", async () => {
    agent
      .get(ORIGIN)
      .intercept({
        method: "PATCH",
        path: `${BASE}/Users/77`,
        headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/scim+json; charset=utf-8", accept: "application/json" },
        body: JSON.stringify({
          schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
          Operations: [{ op: "replace", path: "active", value: [{ value: "false" }] }],
        }),
      })
      .reply(204, "");
    await expect(client.users.patch("77", { op: "replace", path: "active", value: [{ value: "false" }] })).resolves.toBeUndefined();
  });

  it("account 409 for a service principal (user-shaped text) → ConflictError, then lookup by applicationId", async () => {
    const pool = agent.get(ORIGIN);
    pool
      .intercept({ method: "POST", path: `${BASE}/ServicePrincipals` })
      .reply(409, { schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], detail: "User with email abc already exists in this account", status: "409" });
    pool
      .intercept({
        method: "GET",
        path: `${BASE}/ServicePrincipals?attributes=id%2CapplicationId&count=100&filter=applicationId%20eq%20%22abc%22&startIndex=1`,
      })
      .reply(200, { totalResults: 1, startIndex: 1, itemsPerPage: 1, Resources: [{ id: "9", applicationId: "ABC" }] });
    const e = await rejectionOf(client.servicePrincipals.create({ applicationId: "abc", displayName: "x" }));
    expect(e).toBeInstanceOf(ConflictError);
    const sp = await client.servicePrincipals.findByApplicationId("abc", { attributes: ["id"] });
    expect(sp).toEqual({ id: "9", applicationId: "ABC" });
  });
});
