/**
 * A data-driven program for the identity-federation engine tests: account principals, their workspace
 * assignments and per-workspace entitlements, plus workspace-level groups, from the stack configuration key
 * `spec` (JSON). `connection: "<name>"` names one of `spec.connections`; principals and assignments are named by
 * resource name. Anything that names nothing is passed through as given, so a test can pass the wrong thing.
 */
import * as pulumi from "@pulumi/pulumi";
import {
  DatabricksConnection,
  ScimGroup,
  ScimServicePrincipal,
  ScimUser,
  WorkspaceAssignment,
  WorkspaceEntitlements,
  type DatabricksConnectionArgs,
  type ScimGroupArgs,
  type ScimServicePrincipalArgs,
  type ScimUserArgs,
  type WorkspaceAssignmentArgs,
  type WorkspaceEntitlementsArgs,
} from "pulumi-databricks-scim";

type Named<T> = Omit<T, "connection"> & { connection?: string };

export interface AccessSpec {
  connections?: Record<string, DatabricksConnectionArgs>;
  users?: Record<string, Named<ScimUserArgs>>;
  groups?: Record<string, Named<ScimGroupArgs>>;
  servicePrincipals?: Record<string, Named<ScimServicePrincipalArgs>>;
  assignments?: Record<string, Named<Omit<WorkspaceAssignmentArgs, "principal">> & { principal: string }>;
  entitlements?: Record<string, Named<Omit<WorkspaceEntitlementsArgs, "principal" | "assignment">> & { principal?: string; assignment?: string }>;
}

export default async function program(): Promise<Record<string, unknown>> {
  const spec = new pulumi.Config().requireObject<AccessSpec>("spec");
  const connections = new Map(Object.entries(spec.connections ?? {}).map(([n, a]) => [n, new DatabricksConnection(a)]));
  const conn = <T extends { connection?: string }>(args: T) => {
    const { connection, ...rest } = args;
    if (connection === undefined) return rest;
    return { ...rest, connection: connections.get(connection) ?? (connection as never) };
  };

  const principals: Record<string, ScimUser | ScimGroup | ScimServicePrincipal> = {};
  for (const [name, args] of Object.entries(spec.users ?? {})) principals[name] = new ScimUser(name, conn(args) as ScimUserArgs);
  for (const [name, args] of Object.entries(spec.groups ?? {})) principals[name] = new ScimGroup(name, conn(args) as ScimGroupArgs);
  for (const [name, args] of Object.entries(spec.servicePrincipals ?? {})) {
    principals[name] = new ScimServicePrincipal(name, conn(args) as ScimServicePrincipalArgs);
  }
  const principal = (ref: string) => principals[ref] ?? ref;

  const assignments: Record<string, WorkspaceAssignment> = {};
  for (const [name, { principal: p, ...args }] of Object.entries(spec.assignments ?? {})) {
    assignments[name] = new WorkspaceAssignment(name, { ...(conn(args) as Omit<WorkspaceAssignmentArgs, "principal">), principal: principal(p) });
  }
  const entitlements: Record<string, pulumi.Output<string[]>> = {};
  for (const [name, { principal: p, assignment, ...args }] of Object.entries(spec.entitlements ?? {})) {
    const a: WorkspaceEntitlementsArgs = { ...(conn(args) as WorkspaceEntitlementsArgs) };
    if (p !== undefined) a.principal = principal(p);
    if (assignment !== undefined) a.assignment = assignments[assignment];
    entitlements[name] = new WorkspaceEntitlements(name, a).entitlements;
  }

  return {
    ids: Object.fromEntries(Object.entries(principals).map(([n, r]) => [n, r.id])),
    assignments: Object.fromEntries(Object.entries(assignments).map(([n, r]) => [n, r.id])),
    entitlements,
  };
}
