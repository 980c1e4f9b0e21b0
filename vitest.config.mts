import { defineConfig } from "vitest/config";

// Three projects: `unit` (fast, may stub the network), `sdk` (Databricks' Python SDK against the emulator
// process) and `e2e` (real emulator process, real pulumi CLI). `npm test` runs all; `npm run test:unit` the first.
export default defineConfig({
  test: {
    reporters: ["default", "./test/reporters/plain-summary.ts"],
    projects: [
      {
        test: {
          name: "unit",
          include: ["test/unit/**/*.test.ts", "test/emulator/**/*.test.ts"],
          testTimeout: 30_000,
          // A 404 while converging is waited out as read-after-write lag for up to this long (60 s by default,
          // provider/runtime/readLag.ts); unit servers have no lag, so their "really gone" cases need not wait.
          env: { DATABRICKS_SCIM_LAG_BOUND_MS: "300", DATABRICKS_SCIM_JOURNAL: "off" },
        },
      },
      {
        test: {
          name: "sdk",
          // Databricks' own Python SDK against the emulator process (test/sdk/python, via pytest); the first run
          // builds its venv from PyPI (scripts/python-venv.sh), later runs reuse it.
          include: ["test/sdk/**/*.test.ts"],
          testTimeout: 600_000,
        },
      },
      {
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          testTimeout: 600_000,
          hookTimeout: 600_000,
          // Each file drives its own stacks and emulator; the real engine is CPU-heavy on 2 cores.
          fileParallelism: false,
          // Refuses to start when the package copy the engine runs is older than the checkout's sources.
          globalSetup: ["test/e2e/globalSetup.ts"],
        },
      },
    ],
  },
});
