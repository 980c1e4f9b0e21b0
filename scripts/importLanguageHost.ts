/**
 * A stand-in for the Node.js language host (`pulumi-language-nodejs`, which cannot be built here: see
 * scripts/engine.ts) for the one CLI command that asks a language host a question without running a program:
 * `pulumi import <type> <name> <id>`, which asks which plugins the program needs before it reads the resource.
 * It answers "none beyond what the engine finds" and refuses to run a program. The engine reaches it through
 * PULUMI_DEBUG_LANGUAGES=nodejs:<port>, its documented way to attach a language host that is already running.
 * Only for `pulumi import --generate-code=false` in engine tests; every resource call goes to the real plugin.
 */
import * as langrpc from "@pulumi/pulumi/proto/language_grpc_pb";
import * as langproto from "@pulumi/pulumi/proto/language_pb";
import * as plugproto from "@pulumi/pulumi/proto/plugin_pb";
import { grpc } from "../provider/plugin/grpc";

export interface StandInHost {
  port: number;
  stop(): Promise<void>;
}

export async function startImportLanguageHost(): Promise<StandInHost> {
  const server = new grpc.Server();
  const answer =
    <Res>(make: () => Res) =>
    (_call: unknown, callback: (err: null, res: Res) => void): void =>
      callback(null, make());
  const impl: Partial<langrpc.ILanguageRuntimeServer> = {
    handshake: answer(() => new langproto.LanguageHandshakeResponse()),
    getPluginInfo: answer(() => new plugproto.PluginInfo().setVersion("0.0.0-import-stand-in")),
    getRequiredPlugins: answer(() => new langproto.GetRequiredPluginsResponse()),
    getRequiredPackages: answer(() => new langproto.GetRequiredPackagesResponse()),
  };
  server.addService(langrpc.LanguageRuntimeService, impl as Parameters<typeof server.addService>[1]);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  return { port, stop: () => new Promise((resolve) => server.tryShutdown(() => resolve())) };
}

if (require.main === module) {
  void startImportLanguageHost().then((h) => process.stdout.write(`${h.port}\n`));
}
