// oauth-m2m: a Databricks service principal's OAuth secret, exchanged for tokens by client credentials.
import { describeSource, sourceKindsOf } from "../describe";
import { OAuthM2MAuth } from "../oauthM2M";
import { anySet, missing, type Strategy } from "./strategy";

export const oauthM2M: Strategy = {
  name: "oauth-m2m",
  family: "oauth",
  applies: (a) => anySet(a, "client_id", "client_secret"),
  build: (a, ctx) =>
    missing(a, "client_id", "client_secret") ??
    new OAuthM2MAuth({
      host: ctx.host,
      level: ctx.level,
      accountId: ctx.accountId,
      clientId: a.client_id!.value,
      clientSecret: a.client_secret!.value,
      source: describeSource([a.client_id, a.client_secret], "oauth-m2m"),
      sourceKinds: sourceKindsOf([a.client_id, a.client_secret]),
      dispatcher: ctx.dispatcher,
    }),
};
