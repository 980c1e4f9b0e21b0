/**
 * Fails at load time on a Node.js this package cannot run on, with a message that says so. Loaded first by
 * provider/index.ts, before anything imports undici: on Node 20, undici 8 crashes while loading with
 * `TypeError: Cannot read properties of undefined (reading 'bind')`, which says nothing about Node.
 *
 * The minimum is the highest one the runtime dependencies need to work: undici 8 declares Node >= 22.19.0
 * (@azure/identity and @pulumi/pulumi need >= 22). package.json's `engines` says the same.
 * The emulator's CLI has its own copy of this check (emulator/nodeVersion.ts): the emulator shares no code with
 * the provider.
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

/** The error for an unsupported Node.js: the version found, the one needed, and how to get it. */
export function unsupportedNodeMessage(found: string, execPath: string): string {
  return (
    `pulumi-databricks-scim needs Node.js >= ${MINIMUM_NODE} (its HTTP client, undici 8, does), but this process runs ` +
    `Node.js ${found} (${execPath}). Install Node.js 24 (LTS), for example with \`nvm install 24 && nvm use 24\` or from ` +
    "https://nodejs.org, and make it the first `node` on PATH: `pulumi` runs the program with that one. " +
    "In an npm project, the `node` package (`npm install --save-dev node@24`) puts Node.js 24 in node_modules/.bin for npm scripts."
  );
}

/**
 * The error thrown at load time: the message alone. Its stack would be the module loader's frames under this
 * file (nine of them, under `pulumi` with source maps naming provider/nodeVersion.ts, which the package does not
 * ship), so none is captured. It is also marked as Pulumi's RunError marks itself (`__pulumiRunError`, what
 * `RunError.isInstance` checks across SDK copies), so that `pulumi` prints the message without "Unhandled
 * exception: Error:" and without a stack; @pulumi/pulumi itself is not loaded here, before the check.
 */
export function unsupportedNodeError(found: string, execPath: string): Error {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  // plain Error: this file runs before anything else of the package loads (it guards the loading), and the error is
  // a RunError look-alike that pulumi prints alone.
  const error = new Error(unsupportedNodeMessage(found, execPath));
  Error.stackTraceLimit = limit;
  Object.defineProperty(error, "__pulumiRunError", { value: true });
  return error;
}

if (!nodeAtLeast(process.versions.node)) throw unsupportedNodeError(process.versions.node, process.execPath);
