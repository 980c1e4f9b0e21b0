import type * as pulumi from "@pulumi/pulumi";
import { ENTITLEMENTS, type Entitlement } from "../client/types";

/**
 * Small validators shared by every resource's `check`. They never touch the network: check runs during
 * `pulumi preview`, serially for every resource, so bad input must be caught here, before any API call, with
 * a message that names the field and says how to fix it.
 */

/** The value the engine puts in place of an input that is not known yet during a preview. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export function isUnknown(value: unknown): boolean {
  return value === UNKNOWN;
}

/** Collects failures; each validator returns the normalised value or undefined. */
export class Checker {
  readonly failures: pulumi.dynamic.CheckFailure[] = [];

  /** `property` "" is a failure of the resource as a whole (no input is at fault). */
  fail(property: string, reason: string): undefined {
    this.failures.push({ property, reason: property ? `${property}: ${reason}` : reason });
    return undefined;
  }

  optionalString(news: Record<string, unknown>, key: string, hint: string): string | undefined {
    const v = news[key];
    if (v === undefined || v === null || isUnknown(v)) return v === null ? undefined : (v as string | undefined);
    if (typeof v !== "string") return this.fail(key, `expected a string, got ${typeName(v)}. ${hint}`);
    if (v.trim() === "") return this.fail(key, `must not be empty. ${hint}`);
    return v;
  }

  requiredString(news: Record<string, unknown>, key: string, hint: string): string | undefined {
    const v = news[key];
    if (isUnknown(v)) return v as string;
    if (v === undefined || v === null || (typeof v === "string" && v.trim() === "")) {
      return this.fail(key, `is required and must not be empty. ${hint}`);
    }
    return this.optionalString(news, key, hint);
  }

  boolean(news: Record<string, unknown>, key: string, fallback: boolean): boolean {
    const v = news[key];
    if (v === undefined || v === null) return fallback;
    if (isUnknown(v)) return v as unknown as boolean;
    if (typeof v !== "boolean") {
      this.fail(key, `expected true or false, got ${typeName(v)}.`);
      return fallback;
    }
    return v;
  }

  oneOf<T extends string>(news: Record<string, unknown>, key: string, allowed: readonly T[], fallback: T): T {
    const v = news[key];
    if (v === undefined || v === null) return fallback;
    if (isUnknown(v)) return v as T;
    if (typeof v !== "string" || !(allowed as readonly string[]).includes(v)) {
      this.fail(key, `'${String(v)}' is not allowed. Use one of: ${allowed.map((a) => `"${a}"`).join(", ")}.`);
      return fallback;
    }
    return v as T;
  }

  /**
   * Entitlements: `undefined` means "not managed by this resource" (left as they are on the server); a list,
   * even an empty one, is authoritative: refresh reports anything else as drift and `up` restores the list.
   */
  entitlements(news: Record<string, unknown>, level: string): Entitlement[] | undefined {
    const v = news.entitlements;
    if (v === undefined || v === null || isUnknown(v)) return undefined;
    if (!Array.isArray(v)) return this.fail("entitlements", `expected a list of entitlement names, got ${typeName(v)}.`);
    if (level === "account" && v.length > 0) {
      return this.fail(
        "entitlements",
        "entitlements exist only in workspaces; account-level principals have none (Databricks would ignore them). " +
          "For this account principal inside a workspace, declare WorkspaceEntitlements (principal, the workspace host, " +
          "entitlements) after its WorkspaceAssignment. " +
          'Set them on the workspace-level resource (level: "workspace" with the workspace host), or on the workspace\'s groups.',
      );
    }
    const out = new Set<Entitlement>();
    for (const e of v) {
      if (isUnknown(e)) continue;
      if (typeof e !== "string" || !(ENTITLEMENTS as readonly string[]).includes(e)) {
        this.fail("entitlements", `'${String(e)}' is not a Databricks entitlement. Use any of: ${ENTITLEMENTS.join(", ")}.`);
        continue;
      }
      out.add(e as Entitlement);
    }
    if (out.has("workspace-consume") && (out.has("workspace-access") || out.has("databricks-sql-access"))) {
      this.fail(
        "entitlements",
        "'workspace-consume' cannot be combined with 'workspace-access' or 'databricks-sql-access' (it is the reduced, consumer-only access). Keep one of them.",
      );
    }
    return [...out].sort();
  }

  /**
   * Roles (workspace: AWS instance-profile ARNs; account: `account_admin`): same semantics as entitlements,
   * undefined = not managed, a list = enforced exactly. Only the level mix-ups are refused here; the server
   * judges the rest (which instance profiles are registered, which account roles exist).
   */
  roles(news: Record<string, unknown>, level: string): string[] | undefined {
    const v = news.roles;
    if (v === undefined || v === null || isUnknown(v)) return undefined;
    if (!Array.isArray(v)) return this.fail("roles", `expected a list of role names, got ${typeName(v)}. ${ROLES_HINT}`);
    const out = new Set<string>();
    for (const r of v) {
      if (isUnknown(r)) continue;
      if (typeof r !== "string" || r.trim() === "") {
        this.fail("roles", `each role must be a non-empty string, got ${typeName(r)}. ${ROLES_HINT}`);
      } else if (level === "account" && r.startsWith("arn:")) {
        this.fail(
          "roles",
          `'${r}' is an instance profile, which is a workspace role. Set it on the workspace-level resource (level: "workspace" with the workspace host).`,
        );
      } else if (level === "workspace" && r === "account_admin") {
        this.fail(
          "roles",
          "'account_admin' is an account role. Set it on the account-level resource (level: \"account\" with the account console host and accountId).",
        );
      } else {
        out.add(r.trim());
      }
    }
    return [...out].sort();
  }
}

const ROLES_HINT = 'E.g. roles: ["arn:aws:iam::123456789012:instance-profile/analysts"] in a workspace, or ["account_admin"] at account level.';

export function typeName(v: unknown): string {
  if (Array.isArray(v)) return "a list";
  if (v === null) return "null";
  return typeof v === "object" ? "an object" : `${typeof v} ${JSON.stringify(v)}`;
}

/** Same members regardless of order. */
export function sameSet(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  const x = new Set(a ?? []);
  const y = new Set(b ?? []);
  if (x.size !== y.size) return false;
  for (const v of x) if (!y.has(v)) return false;
  return true;
}

/** Loose email shape: Databricks user names are email addresses. */
export const EMAIL = /^[^\s@"<>()[\],;:\\]+@[^\s@"<>()[\],;:\\]+\.[^\s@"<>()[\],;:\\]+$/;

/** An Entra application (client) id, as Azure service principals carry it. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A SCIM id as the program may give it: a positive integer or a string of digits (trimmed), or a value not known
 * until apply (passed through). Anything else: undefined, for the caller's own message.
 */
export function scimIdOf(v: unknown): string | undefined {
  if (isUnknown(v)) return v as string;
  if (typeof v === "number" && Number.isInteger(v) && v > 0) return String(v);
  if (typeof v === "string" && /^\d+$/.test(v.trim())) return v.trim();
  return undefined;
}
