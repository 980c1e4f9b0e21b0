// Identifier generators. Databricks ids are numeric strings of 15-16 digits (e.g. "5622540116035711");
// generating them randomly (not sequentially) keeps clients from depending on creation order.
import { randomBytes, randomInt, randomUUID } from "node:crypto";

export function newNumericId(): string {
  for (;;) {
    const length = randomInt(15, 17);
    let id = String(randomInt(1, 10));
    while (id.length < length) id += String(randomInt(0, 10));
    // The permission-assignment API carries ids as JSON numbers (int64); staying within 2^53 keeps them exact
    // for JavaScript clients, as real ids (e.g. 5622540116035711) are.
    if (Number(id) <= Number.MAX_SAFE_INTEGER) return id;
  }
}

/** Personal-access-token look-alike (`dapi` + 32 hex), so clients that sniff the prefix behave as in real life. */
export function newToken(): string {
  return "dapi" + randomBytes(16).toString("hex");
}

/** Account ids are UUIDs; service principal applicationIds too. */
export function newUuid(): string {
  return randomUUID();
}

/** Numeric workspace id, as in `X-Databricks-Org-Id`. */
export function newWorkspaceId(): string {
  return newNumericId();
}
