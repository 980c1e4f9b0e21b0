/**
 * A program that loads this package when it runs, as a user's `index.ts` does on its first line: for the
 * unsupported-Node.js message as `pulumi` shows it (test/e2e/messages.test.ts runs it on the system Node.js 20).
 * The load is inside the program so that the error is the program's, reported by the engine.
 */
export default async function program(): Promise<Record<string, unknown>> {
  const scim = await import("pulumi-databricks-scim");
  return { loaded: typeof scim.ScimUser };
}
