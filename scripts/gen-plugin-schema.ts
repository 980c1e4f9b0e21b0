#!/usr/bin/env node
/**
 * Writes schema.json, the provider plugin's Pulumi package schema, from the field tables
 * (provider/plugin/schema.ts): `npm run schema` after changing a table or a description. The SDKs are generated
 * from this file (scripts/gen-sdk.sh python); test/unit/plugin/schema.test.ts fails when it is out of date.
 *
 *   node dist/scripts/gen-plugin-schema.js [--check]
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as prettier from "prettier";
import { buildSchema } from "../provider/plugin/schema";
import { packageVersion } from "../provider/plugin/version";
import { repoRoot } from "./repoRoot";

async function main(): Promise<number> {
  const root = repoRoot();
  const file = path.join(root, "schema.json");
  const options = (await prettier.resolveConfig(file)) ?? {};
  const text = await prettier.format(JSON.stringify(buildSchema(packageVersion())), { ...options, parser: "json" });
  if (process.argv.includes("--check")) {
    const same = fs.existsSync(file) && fs.readFileSync(file, "utf8") === text;
    if (!same) process.stderr.write("schema.json is out of date: run `npm run schema`.\n");
    return same ? 0 : 1;
  }
  fs.writeFileSync(file, text);
  process.stdout.write(`wrote ${path.relative(process.cwd(), file)}\n`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
