import { defineCollection, type CollectionState } from "./collection";
import { defineLifecycle } from "./define";
import { servicePrincipalSpec } from "./servicePrincipal";
import { SERVICE_PRINCIPAL_FIELDS } from "./servicePrincipalFields";

/**
 * ScimServicePrincipals: many service principals in one resource, keyed by applicationId (./collection.ts says
 * how and why). Keyed by applicationId because it is the one unique name a program can give a service principal
 * (Entra's application (client) id on Azure); a Databricks-generated one (AWS, GCP) is not known before the
 * create, and display names are not unique, so those stay ScimServicePrincipal resources. Each principal goes
 * through ScimServicePrincipal's own steps (./servicePrincipal.ts), host rules for applicationId included.
 */
export const servicePrincipalCollectionSpec = defineCollection({
  noun: "service principal",
  mapKey: "servicePrincipals",
  keyField: "applicationId",
  example: '"6f1b7c1e-0d1a-4b5e-9a57-2c1e0f3a9b10": { displayName: "ci-deployer" }',
  fields: SERVICE_PRINCIPAL_FIELDS,
  one: servicePrincipalSpec,
});

export const servicePrincipalCollectionLifecycle = defineLifecycle<CollectionState, CollectionState>(servicePrincipalCollectionSpec);
