/**
 * Fails at start on a Node.js the package does not support, with a message that says so, before fastify loads.
 * The minimum is the package's (package.json `engines`, set by the provider's undici 8, which needs >= 22.19.0);
 * the emulator's own dependencies need >= 22 (fastify 5 pulls in cookie, which declares it). This is a copy of
 * provider/nodeVersion.ts's check on purpose: the emulator shares no code with the provider.
 */
export const MINIMUM_NODE = "22.19.0";

function parts(version: string): number[] {
  return version.split(".").map((p) => Number.parseInt(p, 10) || 0);
}

/** True when `found` (a `process.versions.node` string such as "22.19.0") is at least `minimum`. */
export function nodeAtLeast(found: string, minimum: string = MINIMUM_NODE): boolean {
  const f = parts(found);
  const m = parts(minimum);
  for (let i = 0; i < 3; i++) {
    if ((f[i] ?? 0) !== (m[i] ?? 0)) return (f[i] ?? 0) > (m[i] ?? 0);
  }
  return true;
}

// Imported by the CLI alone, first: a person reads this, so the message only, not the loader's frames under it.
if (!nodeAtLeast(process.versions.node)) {
  process.stderr.write(
    `databricks-scim-emulator needs Node.js >= ${MINIMUM_NODE}, but this process runs Node.js ${process.versions.node} ` +
      `(${process.execPath}). Install Node.js 24 (LTS), for example with \`nvm install 24 && nvm use 24\` or from https://nodejs.org; ` +
      "in this repository, `npm run emulator` uses the Node.js 24 that `npm ci` puts in node_modules/.bin.\n",
  );
  process.exit(1);
}
