// ~/.netrc (provider/auth/README.md, Order).
//
// Why a parser of our own: the npm parsers are either unmaintained for years (`netrc` 0.1.x: no types, no quoted
// tokens) or pull old dependencies for features we must not use (`netrc-parser` 3.x: execa 0.10 to shell out to gpg
// for .netrc.gpg, debug 3). The format is small (whitespace-separated tokens; keywords machine, default, login,
// password, account, macdef), so this file implements curl's reading of it and test/unit/auth/netrc.test.ts pins it:
// - tokens split on any whitespace, newlines included; a token may be double-quoted with \" \\ \n \r \t escapes (curl);
// - `#` starting a token comments out the rest of the line;
// - `macdef NAME` swallows lines up to the next empty line;
// - `default` is parsed but never used here: it would send one generic credential to any Databricks host.
import * as fs from "node:fs";
import * as path from "node:path";
import { CredentialError } from "./errors";

export interface NetrcEntry {
  /** Undefined for the `default` entry. */
  machine?: string;
  login?: string;
  password?: string;
  account?: string;
}

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "#") {
      while (i < n && text[i] !== "\n") i++;
      continue;
    }
    if (c === '"') {
      let tok = "";
      i++;
      while (i < n && text[i] !== '"') {
        if (text[i] === "\\" && i + 1 < n) {
          const e = text[i + 1]!;
          tok += e === "n" ? "\n" : e === "r" ? "\r" : e === "t" ? "\t" : e;
          i += 2;
        } else {
          tok += text[i];
          i++;
        }
      }
      i++; // closing quote (or end of text)
      tokens.push(tok);
      continue;
    }
    let tok = "";
    while (i < n && !/\s/.test(text[i]!)) tok += text[i++];
    // `macdef NAME` body: everything up to an empty line is a macro, not tokens.
    tokens.push(tok);
    if (tok === "macdef") {
      // name
      while (i < n && /[ \t]/.test(text[i]!)) i++;
      while (i < n && !/\s/.test(text[i]!)) i++;
      const end = text.indexOf("\n\n", i);
      const endCr = text.indexOf("\r\n\r\n", i);
      const stops = [end, endCr].filter((x) => x >= 0);
      i = stops.length ? Math.min(...stops) : n;
      tokens.pop();
    }
  }
  return tokens;
}

export function parseNetrc(text: string): NetrcEntry[] {
  const tokens = tokenize(text);
  const entries: NetrcEntry[] = [];
  let cur: NetrcEntry | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t === "machine") {
      cur = { machine: tokens[++i] ?? "" };
      entries.push(cur);
    } else if (t === "default") {
      cur = {};
      entries.push(cur);
    } else if (cur && (t === "login" || t === "password" || t === "account")) {
      const v = tokens[++i];
      if (v !== undefined) cur[t] = v;
    }
    // Anything else (unknown keywords, stray tokens) is ignored, as curl does.
  }
  return entries;
}

/** NETRC (as requests and Go's x/net read it) overrides the path; else ~/.netrc, and ~/_netrc on Windows. */
export function netrcPath(env: NodeJS.ProcessEnv, homeDir: string): string {
  if (env.NETRC) return env.NETRC;
  const dotted = path.join(homeDir, ".netrc");
  if (process.platform === "win32" && !fs.existsSync(dotted)) return path.join(homeDir, "_netrc");
  return dotted;
}

/** The entry whose `machine` equals the host name (case-insensitive), if the file exists and has one. */
export function findNetrcEntry(filePath: string, machine: string): NetrcEntry | undefined {
  let text: string;
  try {
    text = fs.readFileSync(filePath, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    throw new CredentialError("AUTH_CONFIG_FILE", `cannot read ${filePath}: ${code ?? (e as Error).message}. Fix its permissions or set NETRC to another file`);
  }
  const want = machine.toLowerCase();
  return parseNetrc(text).find((e) => e.machine !== undefined && e.machine.toLowerCase() === want);
}
