// Imported first by ./flowThrough.test.ts, before any lifecycle: adds one reported optional field, `nickname`, to
// each identity kind's table, as a maintainer adding a field would (in the test, not the code). The lifecycles
// derive what they precompute (optional fields, read attributes) when they load, so this must run before them;
// vitest isolates test files, so no other file sees the field.
import type { Field } from "../../../provider/lifecycle/fieldTypes";
import { GROUP_FIELDS } from "../../../provider/lifecycle/groupFields";
import { SERVICE_PRINCIPAL_FIELDS } from "../../../provider/lifecycle/servicePrincipalFields";
import { USER_FIELDS } from "../../../provider/lifecycle/userFields";

export const ADDED = "nickname";
export const ADDED_FIELD: Field = { type: "string", path: "nickname", reported: true, hint: "Omit it to leave it alone." };

for (const table of [USER_FIELDS, GROUP_FIELDS, SERVICE_PRINCIPAL_FIELDS]) {
  // The tables are `as const` for their types, plain objects at run time.
  Object.assign(table as Record<string, Field>, { [ADDED]: ADDED_FIELD });
}
