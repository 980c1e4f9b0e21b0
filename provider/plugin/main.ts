#!/usr/bin/env node
/**
 * pulumi-resource-databricks-scim: the provider plugin the engine starts for `databricks-scim:index:*`
 * resources (any Pulumi language; the Python SDK in sdk/python). Protocol: serve pulumirpc.ResourceProvider on a
 * loopback port and print the port on stdout, nothing else; the engine's address is the first argument (unused:
 * the plugin makes no calls back). Logs go to stderr, which the engine keeps in its own log, so they hold no
 * secret (./server.ts).
 */
import * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import { grpc } from "./grpc";
import { providerService } from "./server";
import { packageVersion } from "./version";

async function main(): Promise<void> {
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
