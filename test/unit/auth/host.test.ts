import { describe, expect, it } from "vitest";
import { cloudFromHost, isAccountHost, normaliseHost } from "../../../provider/auth";

describe("normaliseHost (Go SDK rules)", () => {
  const table: [string, string][] = [
    ["adb-1234567890123456.7.azuredatabricks.net", "https://adb-1234567890123456.7.azuredatabricks.net"],
    ["https://adb-1.7.azuredatabricks.net/", "https://adb-1.7.azuredatabricks.net"],
    ["https://dbc-a1b2c3d4-e5f6.cloud.databricks.com/some/path?x=1#frag", "https://dbc-a1b2c3d4-e5f6.cloud.databricks.com"],
    ["HTTPS://DBC-ABC.Cloud.Databricks.com", "https://dbc-abc.cloud.databricks.com"],
    ["https://example.cloud.databricks.com:443/", "https://example.cloud.databricks.com"],
    ["https://example.cloud.databricks.com:8443/x", "https://example.cloud.databricks.com:8443"],
    ["http://127.0.0.1:8080/", "http://127.0.0.1:8080"],
    ["  accounts.cloud.databricks.com  ", "https://accounts.cloud.databricks.com"],
    ["localhost:9000", "https://localhost:9000"],
    // Issue 22 item 6: a bare host with a port, as the Databricks CLI and SDKs take it (https:// prefixed).
    ["adb-123.azuredatabricks.net:443", "https://adb-123.azuredatabricks.net"],
    ["127.0.0.1:8080", "https://127.0.0.1:8080"],
  ];
  it.each(table)("%s → %s", (input, want) => {
    expect(normaliseHost(input).host).toBe(want);
  });

  it("reads account and workspace ids from the query", () => {
    expect(normaliseHost("https://accounts.cloud.databricks.com/?a=abc").accountId).toBe("abc");
    expect(normaliseHost("https://accounts.cloud.databricks.com/?account_id=def").accountId).toBe("def");
    expect(normaliseHost("https://x.cloud.databricks.com/?o=123").workspaceId).toBe("123");
  });

  it("rejects what is not an http(s) host", () => {
    expect(() => normaliseHost("ftp://x.example.com")).toThrow(/invalid Databricks host/);
    expect(() => normaliseHost("https://")).toThrow(/invalid Databricks host/);
  });
});

describe("account detection and cloud", () => {
  it.each([
    ["https://accounts.cloud.databricks.com", true],
    ["https://accounts.azuredatabricks.net", true],
    ["https://accounts.gcp.databricks.com", true],
    ["https://accounts-dod.cloud.databricks.us", true],
    ["https://adb-1.7.azuredatabricks.net", false],
    ["https://myaccounts.cloud.databricks.com", false],
  ])("%s account=%s", (host, want) => {
    expect(isAccountHost(host)).toBe(want);
  });

  it.each([
    ["https://adb-1.7.azuredatabricks.net", "azure"],
    ["https://adb-1.7.databricks.azure.us", "azure"],
    ["https://adb-1.7.databricks.azure.cn", "azure"],
    ["https://accounts.azuredatabricks.net", "azure"],
    ["https://1234.5.gcp.databricks.com", "gcp"],
    ["https://dbc-1.cloud.databricks.com", "aws"],
    ["http://127.0.0.1:1234", "aws"],
  ])("%s is %s", (host, cloud) => {
    expect(cloudFromHost(host)).toBe(cloud);
  });
});
