/**
 * How the provider tells the user something during `pulumi up` that is not an error: a line on stderr.
 *
 * Why not `pulumi.log.warn`: inside the dynamic provider process it has no engine to talk to. The provider host
 * (@pulumi/pulumi/cmd/dynamic-provider) never sets the engine address that `pulumi.log` reads
 * (PULUMI_NODEJS_ENGINE, set only for the program's process), so `pulumi.log.*` falls back to
 * `console.*` with a "warning: [runtime]" prefix. The CLI shows a dynamic provider's stdout and stderr (the
 * engine reads both and reports each line as an info diagnostic with no URN, which the display attaches to the
 * stack's row and repeats under "Diagnostics:"; other providers' output is hidden). So stderr is the channel;
 * writing to it directly just skips the misleading prefix.
 */
export function showNotice(message: string, stream: Pick<NodeJS.WriteStream, "write"> = process.stderr): void {
  // One line: the engine reports each line as its own diagnostic.
  stream.write(`pulumi-databricks-scim: ${message.replace(/\s*\n\s*/g, " ")}\n`);
}
