// Installs this package into its own node_modules as a real copy (package.json + dist/provider + dist/emulator),
// so that examples, tests and benchmarks in this repository use it exactly as an installed user does.
//
// Why a copy and not a symlink: Pulumi serializes a dynamic provider by reference (`require("pkg/...")`, ~250
// bytes) only when the provider object's module lives under node_modules by its real path; a symlinked package
// is serialized by value, which is ten times larger in every resource's state (see provider/shims/shim.ts).
//
// The copy is built beside the target and swapped in with renames, so a provider process that is running while
// someone rebuilds never finds the package half there.
const fs = require("node:fs");
const path = require("node:path");
const root = path.resolve(__dirname, "..");
const target = path.join(root, "node_modules", "pulumi-databricks-scim");
const fresh = `${target}.new-${process.pid}`;
const old = `${target}.old-${process.pid}`;
fs.rmSync(fresh, { recursive: true, force: true });
fs.mkdirSync(path.join(fresh, "dist"), { recursive: true });
fs.copyFileSync(path.join(root, "package.json"), path.join(fresh, "package.json"));
// s.js: what the stored provider text of every resource requires (provider/resources/dynamicResource.ts).
fs.copyFileSync(path.join(root, "s.js"), path.join(fresh, "s.js"));
// bench/floor: the benchmark's no-op provider, loaded by package name like the real shims (see bench/floor/noop.ts).
for (const dir of ["provider", "emulator", path.join("bench", "floor")]) {
  const from = path.join(root, "dist", dir);
  if (fs.existsSync(from)) fs.cpSync(from, path.join(fresh, "dist", dir), { recursive: true });
}
if (fs.existsSync(target)) fs.renameSync(target, old);
fs.renameSync(fresh, target);
fs.rmSync(old, { recursive: true, force: true });
