// Errors of provider/auth are CredentialErrors, part of the package's one branded hierarchy (provider/shared,
// re-exported by provider/client/errors.ts: `instanceof` works across loaded copies of the package). Every
// message names where the setting came from and how to fix it, and never carries a secret: secrets are shown as
// `***` or by the name of the variable or key that holds them, and foreign text goes through the package's one redaction (provider/shared/redact.ts).
import { redact } from "../shared/redact";

export { CredentialError, type CredentialErrorCode } from "../shared/credentialError";
export { redact } from "../shared/redact";

/** One-line, bounded text for a foreign error, secrets removed. */
export function describeForeignError(e: unknown, secrets: readonly (string | undefined)[]): string {
  let text: string;
  if (e instanceof Error) {
    const code = (e as Error & { code?: unknown }).code;
    text = typeof code === "string" && !e.message.includes(code) ? `${code}: ${e.message}` : e.message;
  } else {
    text = String(e);
  }
  text = text.replace(/\s+/g, " ").trim();
  if (text.length > 500) text = `${text.slice(0, 500)}...`;
  return redact(text, secrets);
}
