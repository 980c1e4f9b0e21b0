// Entry point of the Entra mirror (docs/guides/entra.md): provider/entra with the package's
// Databricks group lookup wired in.
import { createMirror } from "./entra";
import { listGroups } from "./lookups";

/**
 * Reads the Entra groups from Microsoft Graph when the program runs (preview included), plans who is in which
 * group, and declares ScimUser, ScimServicePrincipal, ScimGroup and one authoritative GroupMembers per mirrored
 * group. Put every Entra group of one Databricks target in one call: a person in several of them is then one user.
 */
export const mirrorEntraGroups = createMirror(listGroups);
