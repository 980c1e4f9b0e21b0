// The CLI's `--graph*` flags: `--graph` starts the Graph emulator beside the Databricks one (also turned on by
// any other --graph-* flag or a `graph` key in --config); flags override the config file's `graph` object.
import type { FlagHelp } from "../cliHelp";
import type { RunningGraphEmulator } from "./server";
import { resolveSeed, type GraphEmulatorOptions } from "./options";

export const graphFlagOptions = {
  graph: { type: "boolean" },
  "graph-port": { type: "string" },
  "graph-seed": { type: "string" },
  "graph-generate": { type: "string", multiple: true },
  "graph-http": { type: "boolean" },
} as const;

/** `--help` text of each Graph flag. */
export const graphFlagHelp: Record<keyof typeof graphFlagOptions, FlagHelp> = {
  graph: {
    text:
      "Also start the Microsoft Graph / Entra ID emulator on its own port (https, self-signed CA; the JSON line's `graph` " +
      "says how to trust it). Any other --graph-* flag or a `graph` key in --config turns it on too. Default: off.",
  },
  "graph-port": { value: "N", text: "Port of the Graph emulator; 0 = any free port. Default: 0." },
  "graph-seed": {
    value: "FILE",
    text: "JSON seed of the directory (users, groups, servicePrincipals, devices, orgContacts, generate). Default: an empty directory.",
  },
  "graph-generate": {
    value: "NAME=COUNT",
    text: "Add (or fill) group NAME with COUNT generated users gen-<n>@example.com. Repeatable. Default: none.",
  },
  "graph-http": {
    text:
      "Serve plain http instead of https (MSAL, hence @azure/identity, then refuses the authority, and " +
      "@microsoft/microsoft-graph-client sends no token to a non-https host). Default: https.",
  },
};

interface GraphFlagValues {
  graph?: boolean;
  "graph-port"?: string;
  "graph-seed"?: string;
  "graph-generate"?: string[];
  "graph-http"?: boolean;
}

export function graphOptionsFromFlags(values: GraphFlagValues, fromConfig: boolean | GraphEmulatorOptions | undefined): GraphEmulatorOptions | undefined {
  const any = values.graph || Object.entries(values).some(([k, v]) => k.startsWith("graph-") && v !== undefined);
  if (!any && !fromConfig) return undefined;
  const o: GraphEmulatorOptions = typeof fromConfig === "object" ? { ...fromConfig } : {};
  if (values["graph-port"] !== undefined) {
    if (!/^\d+$/.test(values["graph-port"])) throw new Error("--graph-port must be a non-negative integer");
    o.port = Number(values["graph-port"]);
  }
  if (values["graph-seed"] !== undefined) o.seed = values["graph-seed"];
  if (values["graph-http"]) o.tls = false;
  for (const g of values["graph-generate"] ?? []) {
    const m = /^(.+)=(\d+)$/.exec(g);
    if (!m) throw new Error(`--graph-generate takes NAME=COUNT (a group display name and a member count), not "${g}"`);
    const seed = resolveSeed(o.seed);
    o.seed = { ...seed, generate: [...(seed.generate ?? []), { group: m[1]!, count: Number(m[2]) }] };
  }
  return o;
}

/** The `graph` object of the CLI's one JSON line. */
export function graphStartupLine(g: RunningGraphEmulator): Record<string, unknown> {
  return {
    url: g.url,
    graphUrl: g.graphUrl,
    authorityHost: g.authorityHost,
    tenantId: g.tenantId,
    clientId: g.app.clientId,
    clientSecret: g.app.clientSecret,
    permissions: g.app.permissions,
    ...(g.caPath ? { caPath: g.caPath } : {}),
    trust: trustHints(g),
  };
}

/**
 * How each client trusts the self-signed CA, and what Microsoft's Graph client needs besides. Said at start
 * because an untrusted CA shows only as MSAL's `endpoints_resolution_error` (it cannot fetch the authority's
 * metadata), and @microsoft/microsoft-graph-client's auth middleware adds the token only for Graph's own hosts
 * and `customHosts` (host names, without port), so without them every call is 401 "Access token is empty.".
 */
function trustHints(g: RunningGraphEmulator): Record<string, string> {
  const host = new URL(g.url).hostname;
  const graphClient =
    `new ClientSecretCredential(tenantId, clientId, clientSecret, { authorityHost: "${g.authorityHost}", disableInstanceDiscovery: true }), then ` +
    `Client.initWithMiddleware({ authProvider: new TokenCredentialAuthenticationProvider(credential, { scopes: ["https://graph.microsoft.com/.default"] }), ` +
    `baseUrl: "${g.url}", defaultVersion: "v1.0", customHosts: new Set(["${host}"]) })`;
  if (!g.caPath) {
    return {
      tls: "none (--graph-http): nothing to trust, but MSAL refuses a non-https authority and the Graph client sends no token over http",
      graphClient,
    };
  }
  return {
    untrusted:
      "a client that does not trust caPath fails: @azure/identity (MSAL) with only endpoints_resolution_error, others with a self-signed certificate error",
    node:
      `NODE_EXTRA_CA_CERTS=${g.caPath} in the environment before node starts (the Graph client calls Node's fetch, which takes no CA option; ` +
      "in-process: tls.setDefaultCACertificates([...tls.getCACertificates('default'), ca]); @azure/identity alone: tlsOptions: { ca })",
    python: `REQUESTS_CA_BUNDLE=${g.caPath} (requests, msal, azure-identity) and SSL_CERT_FILE=${g.caPath} (ssl, httpx, aiohttp)`,
    curl: `curl --cacert ${g.caPath} ${g.authorityHost}/${g.tenantId}/v2.0/.well-known/openid-configuration`,
    graphClient,
  };
}
