// What every request of the package says it is, SCIM calls and the auth layer's own (host metadata, OAuth token
// endpoints) alike: a proxy's or Databricks' request log then tells this package's traffic apart by one header.
export const CLIENT_VERSION = "0.1.0";

export function defaultUserAgent(): string {
  return `pulumi-databricks-scim/${CLIENT_VERSION} undici node/${process.versions.node}`;
}
