// Microsoft's own Graph client (`@microsoft/microsoft-graph-client` 3.x) pointed at the Graph emulator the way a
// user sets it up: @azure/identity's ClientSecretCredential (authorityHost = the emulator, instance discovery
// off) behind the client's TokenCredentialAuthenticationProvider, `baseUrl` = the emulator and `customHosts`
// naming its host (without it the client attaches no token to a non-Graph host). The client calls Node's own
// fetch, which takes no CA option (and no dispatcher from the undici package: their handler APIs differ), so the
// emulator's self-signed CA is added to this process's default CAs (`tls.setDefaultCACertificates`, the
// in-process form of NODE_EXTRA_CA_CERTS) and taken out again on close.
import { ClientSecretCredential } from "@azure/identity";
import { Client } from "@microsoft/microsoft-graph-client";
import { TokenCredentialAuthenticationProvider } from "@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials";
import tls from "node:tls";
import type { RunningGraphEmulator } from "../../emulator/graph/index";

export interface SdkClient {
  client: Client;
  credential: ClientSecretCredential;
  close(): Promise<void>;
}

export function graphSdkClient(emu: RunningGraphEmulator, app: { clientId: string; clientSecret: string } = emu.app): SdkClient {
  const credential = new ClientSecretCredential(emu.tenantId, app.clientId, app.clientSecret, {
    authorityHost: emu.authorityHost,
    disableInstanceDiscovery: true,
    ...(emu.ca ? { tlsOptions: { ca: emu.ca } } : {}),
  });
  const authProvider = new TokenCredentialAuthenticationProvider(credential, { scopes: ["https://graph.microsoft.com/.default"] });
  const before = tls.getCACertificates("default");
  if (emu.ca) tls.setDefaultCACertificates([...before, emu.ca]);
  const client = Client.initWithMiddleware({ authProvider, baseUrl: emu.url, customHosts: new Set([new URL(emu.url).hostname]) });
  return {
    client,
    credential,
    // Back to the list from before this client (clients are closed in the reverse order of their making).
    close: async () => {
      if (emu.ca) tls.setDefaultCACertificates(before);
    },
  };
}
