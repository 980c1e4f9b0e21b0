// Which Databricks userName an Entra user gets. Databricks keys users by an e-mail-like, case-insensitive
// userName (stored lower-case). The default is the userPrincipalName, as the Entra provisioning connector maps
// it; a guest's UPN (`bob_contoso.com#EXT#@fabrikam.onmicrosoft.com`) is not what the guest signs in with, so a
// guest is mapped by mail.
import type { EntraUser } from "./types";

export type UserNameSource = "userPrincipalName" | "mail";

/** The userName, or why there is none (the user is then skipped with a warning). */
export function databricksUserName(user: EntraUser, source: UserNameSource): { userName: string } | { skip: string } {
  const upn = user.userPrincipalName;
  const guest = upn?.includes("#EXT#") ?? false;
  const mail = user.mail?.trim() || undefined;
  const chosen = source === "mail" || guest ? (mail ?? (guest ? undefined : upn)) : upn;
  if (!chosen) {
    return {
      skip: `Entra user ${user.id} (${upn ?? "no userPrincipalName"}) is ${guest ? "a guest" : "a user"} without a mail address: no Databricks userName to give them`,
    };
  }
  return { userName: chosen.toLowerCase() };
}
