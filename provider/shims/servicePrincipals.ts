// module.exports is the provider object itself, so Pulumi serializes it as a require() of this file.
import { shimFor } from "./shim";
export = shimFor("servicePrincipals");
