/**
 * Before any engine test: refuse to run against a stale package copy (scripts/linkedCopy.ts says why it matters).
 * `npm test` builds first, so this only ever fires when someone runs an e2e file by hand after an edit.
 */
import * as path from "node:path";
import { describeStaleness, findStaleness } from "../../scripts/linkedCopy";

export default function setup(): void {
  const problem = describeStaleness(findStaleness(path.resolve(__dirname, "..", "..")));
  if (problem !== undefined) throw new Error(problem);
}
