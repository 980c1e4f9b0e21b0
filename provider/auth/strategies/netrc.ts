// netrc: `machine <host name>` in ~/.netrc (NETRC overrides the path), used only when no layer names a method.
//
// The docs' form is `login token` / `password <PAT>`, used by `curl -n` as HTTP Basic with user "token". Databricks
// accepts that, but we send such an entry as `Bearer <PAT>`: the same wire form as the pat strategy, the one every
// Databricks API (account console included) documents. Any other login is sent as Basic login:password, as curl
// would.
import { netrcMachineName } from "../host";
import { findNetrcEntry, netrcPath, type NetrcEntry } from "../netrc";
import { BasicAuth, BearerTokenAuth } from "../staticAuth";
import type { Strategy, StrategyContext } from "./strategy";

function lookup(ctx: StrategyContext): { entry?: NetrcEntry; file: string; machine: string } {
  const file = netrcPath(ctx.env, ctx.homeDir);
  const machine = netrcMachineName(ctx.host);
  return { entry: findNetrcEntry(file, machine), file, machine };
}

export const netrc: Strategy = {
  name: "netrc",
  applies: (_a, ctx) => {
    const { entry, file, machine } = lookup(ctx);
    return entry?.password ? true : `no machine ${machine} with a password in ${file}`;
  },
  build: (_a, ctx) => {
    const { entry, file, machine } = lookup(ctx);
    if (!entry?.password) return { unmet: `no machine ${machine} with a password in ${file}` };
    const source = `machine ${machine} in ${file} (netrc)`;
    if (!entry.login || entry.login === "token") return new BearerTokenAuth(entry.password, source, ["netrc"]);
    return new BasicAuth(entry.login, entry.password, source, ["netrc"]);
  },
};
