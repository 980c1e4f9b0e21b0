import * as pulumi from "@pulumi/pulumi";
import { UNKNOWN } from "../lifecycle/check";
import { ResourceError } from "../lifecycle/errors";
import type { MemberKind } from "../lifecycle/memberKeys";
import type { ResourceKind } from "../lifecycle/types";
import { ScimDynamicResource } from "./dynamicResource";
import { recordMemberLabel } from "./memberLabels";

/** What every collection keeps of each identity: its SCIM id (and the managed fields, per kind). */
export interface EntryOutput {
  id: string;
}

/**
 * The base of ScimUsers and ScimServicePrincipals (lifecycle/collection.ts): the registered map of identities
 * by natural key, and the ids other resources take from it.
 */
export abstract class ScimCollection<E extends EntryOutput> extends ScimDynamicResource {
  readonly #declared: unknown;
  readonly #ids = new Map<string, pulumi.Output<string>>();

  protected constructor(
    kind: ResourceKind,
    type: string,
    name: string,
    private readonly spec: { mapKey: string; member: MemberKind; noun: string },
    props: pulumi.Inputs,
    opts?: pulumi.CustomResourceOptions,
  ) {
    super(kind, type, name, props, opts);
    this.#declared = props[spec.mapKey];
  }

  /** The map's output (each identity's id and managed fields by key). */
  protected abstract entries(): pulumi.Output<Record<string, E>>;

  /** SCIM id by key. */
  get ids(): pulumi.Output<Record<string, string>> {
    return this.entries().apply((m) => Object.fromEntries(Object.entries(m ?? {}).map(([k, v]) => [k, v.id])));
  }

  /**
   * The SCIM id of one identity of this resource: what GroupMembers' `members` (labelled by the key, so its
   * preview names the identity), WorkspaceAssignment or any other resource takes. Fails at once for a key that
   * the map (when it is a plain object) does not hold.
   */
  idOf(key: string): pulumi.Output<string> {
    const k = key.trim().toLowerCase();
    const known = this.#ids.get(k);
    if (known) return known;
    const declared = this.#declared;
    const name = `${this.constructor.name}.idOf`;
    if (typeof declared === "object" && declared !== null && !pulumi.Output.isInstance(declared) && !(declared instanceof Promise)) {
      if (!Object.keys(declared).some((d) => d.trim().toLowerCase() === k)) {
        throw new ResourceError(
          "NOT_DECLARED",
          this.spec.mapKey,
          `'${key}' (asked of ${name}) is not one of this resource's ${this.spec.mapKey}. Add it to \`${this.spec.mapKey}\`, or check the spelling.`,
        );
      }
    }
    const id = this.entries().apply((m) => {
      const entry = m?.[k];
      // During a preview of a run that creates or updates this resource, the engine hands the program the new
      // inputs as its outputs, which carry no ids: the id is not known until apply.
      if (pulumi.runtime.isDryRun() && entry?.id === undefined) return UNKNOWN;
      if (!entry)
        throw new ResourceError(
          "DEPENDENCY_MISSING",
          this.spec.mapKey,
          `the state of this ${this.constructor.name} holds no ${this.spec.noun} '${k}' (asked of idOf): did its create fail? Run \`pulumi up\` again once it is fixed.`,
        );
      return entry.id;
    });
    recordMemberLabel(id, this.spec.member, k);
    this.#ids.set(k, id);
    return id;
  }
}
