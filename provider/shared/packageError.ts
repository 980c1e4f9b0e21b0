// The root of the package's one error hierarchy (as undici's lib/core/errors.js): every error the package raises
// on purpose is a DatabricksScimError with a stable `code`, so a caller catches them all with one `instanceof`
// and branches on `code`, never on message text. The families below it: the SCIM client's (provider/client/
// errors.ts), credential resolution's (./credentialError.ts), Microsoft Graph's and the Entra mirror's
// (provider/entra), membership batching's (provider/runtime/memberBatcher.ts) and the importer's usage errors.
//
// `instanceof` is brand-based, for the whole tree at once: the constructor marks each instance with a Symbol.for
// brand per class of its prototype chain, and `Symbol.hasInstance` looks for the brand of the class asked about.
// So it also holds when two copies of the package are loaded (the Pulumi shims `require` the installed package by
// name, tests import it relatively), and a new subclass needs no code of its own for it.
import { isBranded } from "./brand";

const PREFIX = "pulumi-databricks-scim.error:";

function brandOf(cls: { name: string }): symbol {
  return Symbol.for(PREFIX + cls.name);
}

export abstract class DatabricksScimError extends Error {
  /** Stable, for callers to branch on: e.g. SCIM_NOT_FOUND, AUTH_NOT_CONFIGURED, MIRROR_CONFLICT. */
  abstract readonly code: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    for (let cls: unknown = new.target; typeof cls === "function" && cls !== Error; cls = Object.getPrototypeOf(cls)) {
      // Not enumerable: a brand is not part of what an error says (JSON, util.inspect, test snapshots).
      Object.defineProperty(this, brandOf(cls), { value: true, enumerable: false });
    }
  }

  static override [Symbol.hasInstance](this: { name: string }, instance: unknown): boolean {
    return isBranded(instance, brandOf(this));
  }
}
