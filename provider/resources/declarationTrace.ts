/**
 * Keeps the declaration's call stack out of the state. @pulumi/pulumi's Resource constructor captures the call
 * stack (`new Error().stack`, parsed by its static `Resource.callsites`) and the engine stores it with every
 * resource as `sourcePosition` and `stackTrace`: about 600 bytes per resource as `pulumi stack export` writes
 * it, for frames that are this package's own class files, the SDK's and, once, the program's line. Nothing
 * reads them back (refresh, diff, destroy and recovery do not), and the file backend (like every DIY backend)
 * rewrites the whole state after each step, so every byte is paid again per step.
 *
 * While one of this package's resources registers (synchronously, inside its constructor), the SDK's capture,
 * and only it (its first two call sites are `callsites` and `stackTrace`), sees an empty stack; any other error
 * built in that window keeps its stack, formatted as before.
 */
type Prepare = NonNullable<typeof Error.prepareStackTrace>;

function isDeclarationCapture(sites: NodeJS.CallSite[]): boolean {
  return sites[0]?.getFunctionName() === "callsites" && sites[1]?.getFunctionName() === "stackTrace";
}

/** Installs the filter and returns what restores the previous hook (call it in a `finally`). */
export function hideDeclarationTrace(): () => void {
  const previous = Error.prepareStackTrace;
  const prepare: Prepare = (error, sites) => {
    if (isDeclarationCapture(sites)) return "Error";
    if (previous) return previous(error, sites) as unknown;
    // V8's own format, which is what `stack` is when no hook is installed.
    return [String(error), ...sites.map((s) => `    at ${s.toString()}`)].join("\n");
  };
  Error.prepareStackTrace = prepare;
  return () => {
    Error.prepareStackTrace = previous;
  };
}
