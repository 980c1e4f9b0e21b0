import type * as pulumi from "@pulumi/pulumi";

/**
 * How check failures reach the engine. Pulumi prints a failure on a property as `property <name> value {<its
 * registered value>} has a problem: …`. For an input the program did not set (a required one left out) or that
 * is not registered under that name (a WorkspaceAssignment's `principal` is registered as `principalId`;
 * memberships' and assignments' `connection` inside `scope`) that reads `value {<nil>}`, as if the program had
 * set it to nothing. Such a failure is reported as the resource's (no property: `resource '<name>' has a
 * problem: …`); its reason still starts with the field's name (lifecycle/check.ts Checker.fail), so nothing is lost.
 */
export function blameOnlyWhatIsSet(failures: pulumi.dynamic.CheckFailure[], registered: Record<string, unknown>): pulumi.dynamic.CheckFailure[] {
  return failures.map((f) => (f.property === "" || isSet(registered, f.property) ? f : { ...f, property: "" }));
}

/** `a.b[0]`, as Pulumi's property paths name nested inputs. */
function isSet(registered: Record<string, unknown>, property: string): boolean {
  let v: unknown = registered;
  for (const part of property.split(/[.[\]]/).filter((p) => p !== "")) {
    v = typeof v === "object" && v !== null ? (v as Record<string, unknown>)[part] : undefined;
  }
  return v !== undefined && v !== null;
}
