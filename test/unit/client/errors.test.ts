import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import {
  AuthError,
  BadRequestError,
  ConflictError,
  HttpError,
  NotFoundError,
  RateLimitError,
  ScimClientError,
  ServerError,
  isAuthError,
  isConflict,
  isNotFound,
  parseErrorBody,
  type ScimClient,
} from "../../../provider/client";
import { SOURCE, TOKEN, WS, clientFor, rejectionOf, scimError, startServer, type Reply, type TestServer } from "./helpers";

let server: TestServer;
let reply: Reply;
let client: ScimClient;
beforeAll(async () => {
  server = await startServer(() => reply);
  client = clientFor(server, { retry: { maxRetries: 0, minDelayMs: 1, maxDelayMs: 1 } });
  return async () => {
    await client.close();
    await server.close();
  };
});
afterEach(() => {
  server.requests.length = 0;
});

async function failWith(r: Reply, call: () => Promise<unknown> = () => client.users.get("42")) {
  reply = r;
  return rejectionOf(call());
}

describe("parseErrorBody", () => {
  it("reads the SCIM envelope with string or number status", () => {
    expect(parseErrorBody(404, JSON.stringify(scimError(404, "Group with id 1234 is not found")))).toEqual({
      detail: "Group with id 1234 is not found",
      errorCode: "SCIM_404",
      scimType: undefined,
    });
    expect(parseErrorBody(400, JSON.stringify({ status: 400, scimType: "invalidPath", detail: "x" }))).toEqual({
      detail: "x",
      errorCode: "SCIM_400",
      scimType: "invalidPath",
    });
  });
  it('maps detail "null" to "SCIM API Internal Error"', () => {
    expect(parseErrorBody(500, JSON.stringify(scimError(500, "null"))).detail).toBe("SCIM API Internal Error");
  });
  it("reads the gateway shape with numeric or string error_code", () => {
    expect(parseErrorBody(403, '{"error_code":403,"message":"Invalid access token."}')).toEqual({
      detail: "Invalid access token.",
      errorCode: "403",
    });
    expect(parseErrorBody(429, '{"error_code":"REQUEST_LIMIT_EXCEEDED","message":"slow"}').errorCode).toBe("REQUEST_LIMIT_EXCEEDED");
  });
  it("keeps a one-line excerpt of non-JSON bodies, and nothing for an empty body", () => {
    expect(parseErrorBody(502, "<html>\n<body>Bad   gateway</body></html>").detail).toBe("<html> <body>Bad gateway</body></html>");
    expect(parseErrorBody(502, "")).toEqual({});
  });
});

describe("typed errors from responses", () => {
  it("404 → NotFoundError with code, status, detail, method, path and a useful message", async () => {
    const e = await failWith({ status: 404, body: scimError(404, "User with id 42 not found.") });
    expect(e).toBeInstanceOf(NotFoundError);
    expect(e).toBeInstanceOf(HttpError);
    expect(e).toBeInstanceOf(ScimClientError);
    expect(e).toBeInstanceOf(Error);
    expect(e).not.toBeInstanceOf(ConflictError);
    expect(isNotFound(e)).toBe(true);
    expect(e.code).toBe("SCIM_NOT_FOUND");
    expect(e.status).toBe(404);
    expect(e.method).toBe("GET");
    expect(e.path).toBe(`${WS}/Users/42`);
    expect(e.detail).toBe("User with id 42 not found.");
    expect(e.message).toBe(`GET ${WS}/Users/42: 404 User with id 42 not found.`);
    expect(e.attempts).toBe(1);
  });

  it("409 → ConflictError (no scimType, as Databricks sends it)", async () => {
    const e = await failWith({ status: 409, body: scimError(409, "User with username a@b.com already exists.") }, () =>
      client.users.create({ userName: "a@b.com" }),
    );
    expect(e).toBeInstanceOf(ConflictError);
    expect(isConflict(e)).toBe(true);
    expect(e.code).toBe("SCIM_CONFLICT");
    expect(e.scimType).toBeUndefined();
    expect(e.message).toBe(`POST ${WS}/Users: 409 User with username a@b.com already exists.`);
  });

  it("400 → BadRequestError carrying scimType; path includes the query", async () => {
    const e = await failWith(
      { status: 400, body: scimError(400, "No such attribute with the name : entitlements in the current resource", "invalidPath") },
      () => client.groups.get("7", { attributes: "entitlements" }),
    );
    expect(e).toBeInstanceOf(BadRequestError);
    expect(e.code).toBe("SCIM_BAD_REQUEST");
    expect(e.scimType).toBe("invalidPath");
    expect(e.message).toBe(
      `GET ${WS}/Groups/7?attributes=entitlements: 400 invalidPath No such attribute with the name : entitlements in the current resource`,
    );
  });

  it("403 gateway shape → AuthError naming the source and host, never the token", async () => {
    const e = await failWith({ status: 403, body: { error_code: 403, message: "Invalid access token." } });
    expect(e).toBeInstanceOf(AuthError);
    expect(isAuthError(e)).toBe(true);
    expect(e.code).toBe("SCIM_AUTH");
    expect(e.authSource).toBe(SOURCE);
    expect(e.message).toBe(`${SOURCE} was rejected by ${server.url}: 403 Invalid access token. (GET ${WS}/Users/42)`);
    expect(JSON.stringify(e)).not.toContain(TOKEN);
  });

  it("401 expired token → AuthError", async () => {
    const e = await failWith({ status: 401, body: { error_code: 401, message: "Token is expired" } });
    expect(e).toBeInstanceOf(AuthError);
    expect(e.status).toBe(401);
  });

  it("plain 500 → ServerError; detail null rendered", async () => {
    const e = await failWith({ status: 500, body: scimError(500, "null") });
    expect(e).toBeInstanceOf(ServerError);
    expect(e.code).toBe("SCIM_SERVER_ERROR");
    expect(e.message).toBe(`GET ${WS}/Users/42: 500 SCIM API Internal Error`);
  });

  it("429 after retries → RateLimitError", async () => {
    const e = await failWith({ status: 429, body: { error_code: "REQUEST_LIMIT_EXCEEDED", message: "Too many requests" } });
    expect(e).toBeInstanceOf(RateLimitError);
    expect(e.code).toBe("SCIM_RATE_LIMITED");
    expect(e.errorCode).toBe("REQUEST_LIMIT_EXCEEDED");
  });

  it("other statuses → base HttpError with SCIM_HTTP_ERROR", async () => {
    const e = await failWith({ status: 412, body: scimError(412, "precondition") });
    expect(e).toBeInstanceOf(HttpError);
    expect(e).not.toBeInstanceOf(NotFoundError);
    expect(e.code).toBe("SCIM_HTTP_ERROR");
  });

  it("never leaks the token, even when the server echoes it or the Authorization header", async () => {
    for (const r of [
      { status: 400, body: scimError(400, `bad header Authorization: Bearer ${TOKEN}`, "invalidSyntax") },
      { status: 403, body: { error_code: 403, message: `token ${TOKEN} is invalid` } },
      { status: 500, body: `<pre>${TOKEN}</pre>` },
    ] as Reply[]) {
      const e = await failWith(r);
      expect(e.message).not.toContain(TOKEN);
      expect(e.message).not.toContain("SECRET");
      expect(String(e.detail)).not.toContain(TOKEN);
      expect(JSON.stringify({ ...e })).not.toContain(TOKEN);
      expect(String(e.stack)).not.toContain(TOKEN);
      expect(e.message).toContain("[REDACTED]");
    }
  });

  it("instanceof works across module copies (brand-based)", async () => {
    const e = await failWith({ status: 404, body: scimError(404, "gone") });
    vi.resetModules();
    const copy = await import("../../../provider/client/errors");
    expect(copy.NotFoundError).not.toBe(NotFoundError); // really a second copy of the module
    expect(e).toBeInstanceOf(copy.NotFoundError);
    expect(e).toBeInstanceOf(copy.ScimClientError);
    expect(e).not.toBeInstanceOf(copy.ConflictError);
    expect(copy.isNotFound(e)).toBe(true);
    // A plain object with the brand is recognised; an arbitrary Error is not.
    expect(new Error("x")).not.toBeInstanceOf(NotFoundError);
    expect({ code: "SCIM_NOT_FOUND" }).not.toBeInstanceOf(NotFoundError);
  });
});
