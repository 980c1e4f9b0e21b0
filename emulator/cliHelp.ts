// `--help` of the emulator CLI: every flag with what it does, its default and its unit, rendered from tables
// that sit beside each flag group's parseArgs options (typed by those options' keys, so a flag without help
// text does not compile). The parsing itself stays node:util parseArgs.
import { join } from "node:path";

/** Help for one flag: the value's placeholder (none for a boolean) and a sentence naming default and unit. */
export interface FlagHelp {
  value?: string;
  text: string;
}

export interface HelpSection {
  title: string;
  flags: Record<string, FlagHelp>;
}

/** The emulator's README as the package ships it (emulator/README.md beside dist/). */
export const README_PATH = join(__dirname, "..", "..", "emulator", "README.md");

const WIDTH = 100;
const FLAG_COLUMN = 36;

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  // "Default:" stays on the line of its value, so the default is read in one place.
  const words = text.split(/\s+/).reduce<string[]>((acc, w) => (acc.at(-1) === "Default:" ? [...acc.slice(0, -1), `Default: ${w}`] : [...acc, w]), []);
  for (const word of words) {
    if (line !== "" && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  if (line !== "") lines.push(line);
  return lines;
}

export function formatHelp(intro: string[], sections: HelpSection[], outro: string[]): string {
  const out: string[] = [...intro, ""];
  for (const section of sections) {
    out.push(`${section.title}:`);
    for (const [name, help] of Object.entries(section.flags)) {
      const head = `  --${name}${help.value ? ` ${help.value}` : ""}`;
      const body = wrap(help.text, WIDTH - FLAG_COLUMN);
      if (head.length >= FLAG_COLUMN) {
        out.push(head);
        for (const l of body) out.push(" ".repeat(FLAG_COLUMN) + l);
      } else {
        out.push(head.padEnd(FLAG_COLUMN) + (body[0] ?? ""));
        for (const l of body.slice(1)) out.push(" ".repeat(FLAG_COLUMN) + l);
      }
    }
    out.push("");
  }
  out.push(...outro);
  return out.join("\n") + "\n";
}
