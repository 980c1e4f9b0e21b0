// The one redaction of this package: text that comes from elsewhere (a server's error body, a network library's
// message, an identity library's error) is scrubbed of the live secret values before it goes into an error of ours.

/** What a removed secret is replaced with. */
export const REDACTED = "[REDACTED]";

/**
 * Replaces every occurrence of the given secrets with {@link REDACTED}. Values shorter than 4 characters are left
 * alone (they would match ordinary words); longer ones are replaced first, so that a secret containing another is
 * removed whole.
 */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  const live = secrets.filter((s): s is string => typeof s === "string" && s.length >= 4).sort((a, b) => b.length - a.length);
  let out = text;
  for (const s of live) if (out.includes(s)) out = out.split(s).join(REDACTED);
  return out;
}
