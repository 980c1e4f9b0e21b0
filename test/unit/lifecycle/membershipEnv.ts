// Shared set-up of the membership lifecycle tests: the environment points the provider at a fake group server
// (loopback, pacing off); each test has a provider session of its own (./testSession.ts), as a fresh provider process.
import { afterEach, beforeEach } from "vitest";
import { fakeGroups, type FakeGroups } from "../membership/fakeGroups";

export interface Env {
  fake: FakeGroups;
  host: string;
}

export function useMembershipEnv(): { start(groups?: Record<string, string[]>, principals?: string[]): Promise<Env> } {
  const saved = { ...process.env };
  let fake: FakeGroups | undefined;
  beforeEach(() => {
    for (const k of Object.keys(process.env)) if (/^(DATABRICKS_|ARM_|AZURE_)/.test(k)) delete process.env[k];
    process.env.DATABRICKS_HOST = "https://adb-1.2.azuredatabricks.net";
    process.env.DATABRICKS_TOKEN = "dapi-unit-test-token";
    process.env.DATABRICKS_SCIM_PACING = "off";
    // The fake has no read-after-write lag: a 404 while converging need not be waited out for a minute.
    process.env.DATABRICKS_SCIM_LAG_BOUND_MS = "300";
    // No create journal in the repository: each test is a fresh run (provider/runtime/createJournal.ts).
    process.env.DATABRICKS_SCIM_JOURNAL = "off";
    process.env.HOME = "/nonexistent-home-for-tests";
  });
  afterEach(async () => {
    process.env = { ...saved };
    await fake?.close();
    fake = undefined;
  });
  return {
    async start(groups = {}, principals = []) {
      fake = await fakeGroups(groups, principals);
      process.env.DATABRICKS_HOST = fake.url;
      return { fake, host: fake.url };
    },
  };
}
