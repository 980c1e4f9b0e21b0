// Databricks users, groups, service principals, memberships and entitlements, over the Databricks SCIM 2.0 API.
package databricksscim
