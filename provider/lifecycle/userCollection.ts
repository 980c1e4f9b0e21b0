import { defineCollection, type CollectionState } from "./collection";
import { defineLifecycle } from "./define";
import { userSpec } from "./user";
import { USER_FIELDS } from "./userFields";

/**
 * ScimUsers: many users in one resource, keyed by userName (./collection.ts says how and why). Each user is
 * checked, created (adopt, the create journal), read, updated and deleted by ScimUser's own steps (./user.ts), and
 * its fields are ScimUser's (./userFields.ts).
 */
export const userCollectionSpec = defineCollection({
  noun: "user",
  mapKey: "users",
  keyField: "userName",
  example: '"alice@example.com": { displayName: "Alice" }',
  fields: USER_FIELDS,
  one: userSpec,
});

export const userCollectionLifecycle = defineLifecycle<CollectionState, CollectionState>(userCollectionSpec);
