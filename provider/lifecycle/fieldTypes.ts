import type { Entitlement } from "../client/types";
import type { DeletionPolicy } from "./types";

/**
 * Each SCIM kind described once: a table of its fields (model: the Databricks Terraform provider's
 * StructToSchema over one Go struct per kind, with `tf:"force_new"` tags, scim/resource_user.go). The check
 * normalisation, the create body, the PATCH delta, the outputs, the attributes read on refresh, the diff, and
 * the output keys the resource class registers are all derived from it here. A kind's own file keeps only what
 * no table can say (an email rule, a host-dependent applicationId rule, the built-in group names).
 */

/**
 * `flag`: a switch that lives in state only and is kept only when on (`true`), absent when off, so the state and
 * registrations of resources that never set it are the same as before the flag existed. Neither optional (it is
 * no server value to leave alone) nor defaulted: kept in the inputs after a refresh, and turning it on or off is
 * an update in place.
 */
export type FieldType = "string" | "boolean" | "deletionPolicy" | "entitlements" | "roles" | "flag";

export interface Field {
  type: FieldType;
  /** The SCIM attribute path ("displayName", "name.givenName"); none: the field lives in state only. */
  path?: string;
  /** Must be set by the program. */
  required?: boolean;
  /**
   * Filled in by check when omitted. A field with neither `required` nor `default` is optional: omitting it means
   * "not managed here": reported as the server holds it, never written, never called a change or drift.
   */
  default?: boolean | DeletionPolicy;
  /** A change replaces the object instead of updating it (Terraform's `force_new`). */
  forceNew?: boolean;
  /** Check's normalisation of a string, after trimming (also applied to what the server reports). */
  normalise?: "lowercase";
  /** How to fix a bad value, appended to check's message. */
  hint?: string;
  /** Read back on refresh and reported in outputs: a key the resource class registers. */
  reported?: boolean;
  /** Read and reported only when the program manages it (entitlements of a group: costly for the server). */
  reportedWhenManaged?: boolean;
  /** Used at create only (adopt): a change is no change. */
  createOnly?: boolean;
  /** Validated by the kind's own check (a rule the table cannot express): skipped by checkFields. */
  customCheck?: boolean;
  /**
   * The server always holds a value, making one up when the program sets none (a service principal's
   * applicationId on AWS/GCP): optional as an input, always there as an output.
   */
  generated?: boolean;
  /** Workspace level only: set at account level, check refuses it with this reason (what to do instead). */
  workspaceOnly?: string;
}

export type Fields = Readonly<Record<string, Field>>;

/** The TypeScript value of a field of each type. */
export interface ValueOf {
  string: string;
  boolean: boolean;
  deletionPolicy: DeletionPolicy;
  entitlements: Entitlement[];
  roles: string[];
  flag: true;
}

/** The fields check always fills in: required or defaulted. */
export type Always<F extends Fields> = { [K in keyof F]: F[K] extends { required: true } | { default: boolean | string } ? K : never }[keyof F];

/** Inputs after check, as a table describes them: required and defaulted fields always there, optional ones maybe. */
export type FieldInputs<F extends Fields> = { [K in Always<F>]: ValueOf[F[K]["type"]] } & {
  [K in Exclude<keyof F, Always<F>>]?: ValueOf[F[K]["type"]];
};

/** The fields always in the outputs: those always in the inputs, and the ones the server makes up. */
export type AlwaysReported<F extends Fields> = Always<F> | { [K in keyof F]: F[K] extends { generated: true } ? K : never }[keyof F];

/** The keys of the fields a kind reports (its registered output keys). */
export type ReportedKey<F extends Fields> = {
  [K in keyof F]: F[K] extends { reported: true } | { reportedWhenManaged: true } ? K : never;
}[keyof F] &
  string;

/**
 * What the resource class seeds as output keys: Pulumi only exposes outputs whose keys are present in the props.
 * Each registered key costs the program four promises with captured stack traces per resource (README,
 * Performance), so only reported fields are keys; outputs that are a function of another output (aclPrincipalId,
 * home) are getters, and where an identity lives (host, level, accountId, connection) is kept in its state, where
 * it guards against re-targeting, but is not an output (memberships inherit a group's declared target).
 */
export function outputKeys<F extends Fields>(fields: F): Record<ReportedKey<F>, undefined> {
  const out: Record<string, undefined> = {};
  for (const [k, f] of Object.entries(fields)) if (f.reported || f.reportedWhenManaged) out[k] = undefined;
  return out as Record<ReportedKey<F>, undefined>;
}
