import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach } from "vitest";

const made: string[] = [];

/** A fresh empty directory to use as HOME; removed after each test. */
export function tempHome(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dbx-auth-"));
  made.push(dir);
  return dir;
}

export function writeFile(dir: string, name: string, text: string): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, text, { mode: 0o600 });
  return p;
}

afterEach(() => {
  while (made.length) fs.rmSync(made.pop()!, { recursive: true, force: true });
});

/** An environment with nothing in it but HOME (never process.env: the machine's variables must not leak in). */
export function envWith(home: string, vars: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { HOME: home, ...vars };
}

/** Runs fn and returns the error it throws (fails the test if it does not). */
export function thrown(fn: () => unknown): Error & { code?: string } {
  try {
    fn();
  } catch (e) {
    return e as Error & { code?: string };
  }
  throw new Error("expected an error, got none");
}

export async function rejected(p: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await p;
  } catch (e) {
    return e as Error & { code?: string };
  }
  throw new Error("expected a rejection, got none");
}
