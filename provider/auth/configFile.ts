// ~/.databrickscfg (provider/auth/README.md, Order), parsed with the `ini` package.
import * as fs from "node:fs";
import * as path from "node:path";
import * as ini from "ini";
import { CredentialError } from "./errors";

export type ProfileValues = Record<string, string>;

export interface ConfigFileContents {
  path: string;
  /** Section name → its string values (a section never inherits [DEFAULT]). */
  sections: Map<string, ProfileValues>;
}

/** `~` and `~/...` expand to the home directory, as the SDKs do. */
export function expandHome(p: string, homeDir: string): string {
  if (p === "~") return homeDir;
  if (p.startsWith("~/") || p.startsWith("~\\")) return path.join(homeDir, p.slice(2));
  return p;
}

/**
 * Go's ini loader (used by the SDKs and the CLI) treats `#`/`;` as the start of an inline comment only after
 * whitespace; the `ini` package cuts a value at any unescaped `#`/`;`. A secret such as `abc#def` would be cut, so
 * before parsing, every `#`/`;` in a value that does not follow whitespace is escaped (`\#`), which `ini` reads back
 * as the plain character. `ini` also nests `[a.b]` under `a`; dots (and `#`/`;`) in section headers are escaped so
 * that a profile named `a.b` stays one flat section. Whole-line comments are left alone.
 */
function protectForIni(text: string): string {
  return text
    .split(/\r?\n/)
    .map((line) => {
      if (/^\s*[;#]/.test(line)) return line;
      const header = /^(\s*)\[([^\]]*)\](\s*)$/.exec(line);
      if (header) return `${header[1]}[${header[2]!.replace(/[.#;]/g, (c) => `\\${c}`)}]${header[3]}`;
      const eq = line.indexOf("=");
      if (eq < 0) return line;
      const value = line.slice(eq + 1);
      let out = "";
      for (let i = 0; i < value.length; i++) {
        const c = value[i]!;
        if ((c === "#" || c === ";") && i > 0 && !/\s/.test(value[i - 1]!) && value[i - 1] !== "\\") {
          out += `\\${c}`;
        } else {
          out += c;
        }
      }
      return line.slice(0, eq + 1) + out;
    })
    .join("\n");
}

type IniValue = string | boolean | null | IniValue[] | { [k: string]: IniValue };

function stringValues(obj: Record<string, IniValue>): ProfileValues {
  const out: ProfileValues = {};
  for (const [k, v] of Object.entries(obj)) {
    const key = k.trim();
    if (typeof v === "string") out[key] = v;
    else if (typeof v === "boolean") out[key] = String(v);
  }
  return out;
}

/** Reads and parses the file; `undefined` when it does not exist. */
export function readConfigFile(filePath: string): ConfigFileContents | undefined {
  let text: string;
  try {
    text = fs.readFileSync(filePath, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    throw new CredentialError(
      "AUTH_CONFIG_FILE",
      `cannot parse config file: ${filePath}: ${code ?? (e as Error).message}. Fix its permissions or point DATABRICKS_CONFIG_FILE / configFile elsewhere`,
    );
  }
  const parsed = ini.parse(protectForIni(text)) as Record<string, IniValue>;
  const sections = new Map<string, ProfileValues>();
  for (const [name, v] of Object.entries(parsed)) {
    if (v && typeof v === "object" && !Array.isArray(v)) sections.set(name, stringValues(v));
  }
  // Keys before any section header belong to DEFAULT (Go ini semantics).
  const top = stringValues(parsed);
  if (Object.keys(top).length > 0) sections.set("DEFAULT", { ...top, ...(sections.get("DEFAULT") ?? {}) });
  return { path: filePath, sections };
}
