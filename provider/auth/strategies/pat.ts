// pat: a personal access token (or any bearer token Databricks accepts) as `Authorization: Bearer`.
import { BearerTokenAuth } from "../staticAuth";
import { describeSource, sourceKindsOf } from "../describe";
import { anySet, missing, type Strategy } from "./strategy";

export const pat: Strategy = {
  name: "pat",
  family: "pat",
  applies: (a) => anySet(a, "token"),
  build: (a) => missing(a, "token") ?? new BearerTokenAuth(a.token!.value, describeSource([a.token], "pat"), sourceKindsOf([a.token])),
};
