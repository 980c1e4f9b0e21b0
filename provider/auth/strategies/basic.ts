// basic: HTTP Basic username:password (deprecated by Databricks for workspaces; kept because unified auth has it).
import { BasicAuth } from "../staticAuth";
import { describeSource, sourceKindsOf } from "../describe";
import { anySet, missing, type Strategy } from "./strategy";

export const basic: Strategy = {
  name: "basic",
  family: "basic",
  applies: (a) => anySet(a, "username", "password"),
  build: (a) =>
    missing(a, "username", "password") ??
    new BasicAuth(a.username!.value, a.password!.value, describeSource([a.username, a.password], "basic"), sourceKindsOf([a.username, a.password])),
};
