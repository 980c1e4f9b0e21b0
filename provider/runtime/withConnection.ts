import { AuthError } from "../client";
import type { ConnectionSource } from "../lifecycle/connection";
import type { Lifecycle } from "../lifecycle/types";
import { CONFIG_NAMESPACE } from "./settings";

type Props = Record<string, unknown> & { connection?: ConnectionSource };
type Plain = Lifecycle<Props, Props>;

/**
 * The same for every resource kind, so it lives here rather than in each lifecycle:
 *  - the credential source (`connection`, names only) travels from inputs into outputs, because read and delete
 *    only ever see outputs: a destroy must use the credentials the resource was created with;
 *  - a changed source is an update (never a replacement): the principal stays where it is;
 *  - an auth failure during refresh or destroy with a stack-config credential says why it may be stale.
 */
export function withConnection(inner: Plain): Plain {
  return {
    check: (olds, news) => inner.check(olds, news),
    async diff(id, olds, news) {
      const d = await inner.diff(id, olds, news);
      if (d.changes !== true && !sameSource(olds.connection, news.connection)) return { ...d, changes: true };
      return d;
    },
    async create(inputs) {
      const r = await inner.create(inputs);
      return { ...r, outs: carry(r.outs, inputs.connection) };
    },
    async update(id, olds, news) {
      const r = await inner.update(id, olds, news);
      return { ...r, outs: carry(r.outs, news.connection) };
    },
    async read(id, props) {
      const r = await staleHint(() => inner.read(id, props));
      const out = { ...r };
      if (r.props) out.props = carry(r.props, props.connection);
      if (r.inputs) out.inputs = carry(r.inputs, props.connection);
      return out;
    },
    delete: (id, props) => staleHint(() => inner.delete(id, props)),
  };
}

function carry(outs: Props | undefined, connection: ConnectionSource | undefined): Props | undefined {
  if (!outs) return outs;
  const copy: Props = { ...outs };
  if (connection) copy.connection = connection;
  else delete copy.connection;
  return copy;
}

function sameSource(a: ConnectionSource | undefined, b: ConnectionSource | undefined): boolean {
  const norm = (s: ConnectionSource | undefined) => JSON.stringify(Object.entries(s ?? {}).sort(([x], [y]) => x.localeCompare(y)));
  return norm(a) === norm(b);
}

/** Appended when a stack-config credential is rejected outside `up` (spec: pulumi-dynamic-providers.md §4). */
export const STALE_CONFIG_HINT =
  ` pulumi destroy and pulumi refresh configure the provider with the stack configuration saved by the last ` +
  `\`pulumi up\`, not the current one: after rotating ${CONFIG_NAMESPACE}:token (or clientSecret), run ` +
  `\`pulumi destroy --run-program\` (or \`pulumi refresh --run-program\`), or \`pulumi up\` first. Credentials ` +
  `from the environment, a ~/.databrickscfg profile or a connection's tokenEnvVar are read fresh on every run.`;

async function staleHint<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof AuthError && e.authSource.includes("from the stack configuration") && !e.message.includes(STALE_CONFIG_HINT)) {
      e.message += STALE_CONFIG_HINT;
    }
    throw e;
  }
}
