#!/usr/bin/env node
/**
 * pulumi-resource-databricks-scim: the provider plugin the engine starts for `databricks-scim:index:*`
 * resources (any Pulumi language; the Python SDK in sdk/python). Protocol: serve pulumirpc.ResourceProvider on a
 * loopback port and print the port on stdout, nothing else; the engine's address is the first argument (unused:
 * the plugin makes no calls back). Logs go to stderr, which the engine keeps in its own log, so they hold no
 * secret (./server.ts).
 */
// First, before anything loads undici: a clear error on a Node.js that is too old (../nodeVersion.ts).
import "../nodeVersion";
import * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import { grpc } from "./grpc";
import { providerService } from "./server";
import { packageVersion } from "./version";

const USAGE = `usage: pulumi-resource-databricks-scim [ENGINE_ADDRESS]

The Pulumi provider plugin of pulumi-databricks-scim (resource types databricks-scim:index:*). The pulumi CLI
starts it; a person does not: it serves the provider protocol on a loopback port, prints the port and waits.
Put this package's bin folder on PATH (npm install -g pulumi-databricks-scim) so the CLI finds it.

  --help, -h   this text
  --version    the plugin's version
`;

async function main(): Promise<void> {
  // Only these exact words: the engine passes its own flags (-v=N, --logtostderr, --tracing) and its address.
  const args = process.argv.slice(2);
  if (args.includes("--help") || args.includes("-h")) {
    process.stdout.write(USAGE);
    return;
  }
  if (args.includes("--version")) {
    process.stdout.write(`${packageVersion()}\n`);
    return;
  }
  const server = new grpc.Server({ "grpc.max_receive_message_length": 400 * 1024 * 1024 });
  server.addService(provrpc.ResourceProviderService, providerService(packageVersion()) as grpcTypesImpl);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  process.stdout.write(`${port}\n`);
}

type grpcTypesImpl = Parameters<InstanceType<typeof grpc.Server>["addService"]>[1];

main().catch((e: unknown) => {
  process.stderr.write(`pulumi-resource-databricks-scim: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
