// MSAL refuses an authority that is not https, so the Graph emulator serves TLS. Without a given key pair it
// makes a self-signed certificate for localhost and 127.0.0.1 with the openssl CLI (Node cannot issue X.509
// certificates itself); clients trust it with the PEM (`tlsOptions: { ca }` in @azure/identity, an undici
// Agent's `connect.ca`, or NODE_EXTRA_CA_CERTS=<certPath> for a child process).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TlsMaterial {
  key: string;
  cert: string;
  certPath: string;
}

export function loadOrMakeCertificate(given?: { keyPath: string; certPath: string }): TlsMaterial {
  if (given) return { key: readFileSync(given.keyPath, "utf8"), cert: readFileSync(given.certPath, "utf8"), certPath: given.certPath };
  const dir = mkdtempSync(join(tmpdir(), "graph-emu-tls-"));
  const keyPath = join(dir, "key.pem");
  const certPath = join(dir, "cert.pem");
  try {
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        keyPath,
        "-out",
        certPath,
        "-days",
        "2",
        "-subj",
        "/CN=localhost",
        "-addext",
        "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
      ],
      { stdio: "ignore" },
    );
  } catch (e) {
    throw new Error(
      `the Graph emulator serves https and could not make a certificate with openssl (${e instanceof Error ? e.message : String(e)}); ` +
        "install openssl, or give graph.tls { keyPath, certPath }, or set graph.tls to false for plain http (MSAL will then refuse the authority)",
      { cause: e },
    );
  }
  return { key: readFileSync(keyPath, "utf8"), cert: readFileSync(certPath, "utf8"), certPath };
}
