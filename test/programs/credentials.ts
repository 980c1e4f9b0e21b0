/**
 * The engine-test program for credentials (test/e2e/credentials.test.ts). Stack config `spec` (JSON) names
 * connections and users; a user may name its connection, and may wait `delayMs` after the users before it were created, so a
 * test can let an OAuth token expire between two calls of one provider process.
 */
import * as pulumi from "@pulumi/pulumi";
import { DatabricksConnection, ScimUser, type DatabricksConnectionArgs, type ScimUserArgs } from "pulumi-databricks-scim";

export interface CredentialsSpec {
  connections?: Record<string, DatabricksConnectionArgs>;
  users?: Record<string, Omit<ScimUserArgs, "connection"> & { connection?: string; delayMs?: number }>;
}

function later(value: string, ms: number): pulumi.Output<string> {
  return pulumi.output(new Promise<string>((resolve) => setTimeout(() => resolve(value), ms)));
}

export default async function program(): Promise<Record<string, unknown>> {
  const spec = new pulumi.Config().requireObject<CredentialsSpec>("spec");
  const connections = new Map(Object.entries(spec.connections ?? {}).map(([name, args]) => [name, new DatabricksConnection(args)]));
  const users: Record<string, pulumi.Output<string>> = {};
  for (const [name, { connection, delayMs, ...args }] of Object.entries(spec.users ?? {})) {
    const conn = connection === undefined ? undefined : connections.get(connection);
    if (connection !== undefined && !conn) throw new Error(`user ${name}: no connection '${connection}' in spec.connections`);
    // Counted from when the users before it exist, so the delay separates two calls of one provider process.
    const userName = delayMs ? pulumi.all(Object.values(users)).apply(() => later(args.userName as string, delayMs)) : args.userName;
    users[name] = new ScimUser(name, { ...args, userName, ...(conn ? { connection: conn } : {}) }).id;
  }
  return { users };
}
