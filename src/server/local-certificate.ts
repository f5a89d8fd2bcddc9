/**
 * The key and certificate `--local-protocol https` serves with: the files named by
 * `--https-key-path` / `--https-cert-path`, or else a self-signed certificate for `localhost`
 * made once and kept in `~/.hearth/local-cert/` (`$HEARTH_CERT_DIR`), made again when it nears
 * its end — what wrangler does with `~/.wrangler/local-cert/`.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { HearthError } from "../shared/errors.js";

export interface TlsFiles {
  key: string;
  cert: string;
}

export interface CertificateOptions {
  keyPath?: string;
  certPath?: string;
  /** Folder paths are resolved against. */
  cwd: string;
}

/** How long a generated certificate is valid. */
const VALIDITY_DAYS = 30;
/** A cached certificate this close to its end is replaced. */
const RENEW_BEFORE_MS = 24 * 60 * 60 * 1000;
const KEY_FILE = "key.pem";
const CERT_FILE = "cert.pem";

export function localCertificateDir(): string {
  return process.env.HEARTH_CERT_DIR ?? path.join(os.homedir(), ".hearth", "local-cert");
}

export async function localCertificate(options: CertificateOptions): Promise<TlsFiles> {
  if (options.keyPath !== undefined || options.certPath !== undefined) return userCertificate(options);
  const dir = localCertificateDir();
  const cached = readCached(dir);
  if (cached) return cached;
  const made = await selfSigned();
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.writeFileSync(path.join(dir, KEY_FILE), made.key, { mode: 0o600 });
  fs.writeFileSync(path.join(dir, CERT_FILE), made.cert);
  return made;
}

function userCertificate(options: CertificateOptions): TlsFiles {
  if (options.keyPath === undefined || options.certPath === undefined) {
    const missing = options.keyPath === undefined ? "--https-key-path" : "--https-cert-path";
    throw new HearthError("ERR_FLAG", `${missing} is missing: give both --https-key-path and --https-cert-path, or neither for a self-signed certificate.`, { flag: missing });
  }
  const read = (file: string, flag: string) => {
    try {
      return fs.readFileSync(path.resolve(options.cwd, file), "utf8");
    } catch (error) {
      throw new HearthError("ERR_FLAG", `Could not read ${flag} ${file}: ${(error as Error).message}`, { flag });
    }
  };
  return { key: read(options.keyPath, "--https-key-path"), cert: read(options.certPath, "--https-cert-path") };
}

/** The cached pair, if both files are there and the certificate is not near its end. */
function readCached(dir: string): TlsFiles | undefined {
  try {
    const key = fs.readFileSync(path.join(dir, KEY_FILE), "utf8");
    const cert = fs.readFileSync(path.join(dir, CERT_FILE), "utf8");
    const validTo = Date.parse(new crypto.X509Certificate(cert).validTo);
    return validTo - Date.now() > RENEW_BEFORE_MS ? { key, cert } : undefined;
  } catch {
    return undefined;
  }
}

async function selfSigned(): Promise<TlsFiles> {
  const { generate } = (await import("selfsigned")).default;
  const notBeforeDate = new Date();
  const notAfterDate = new Date(notBeforeDate.getTime() + VALIDITY_DAYS * 24 * 60 * 60 * 1000);
  const pems = await generate([{ name: "commonName", value: "localhost" }], {
    keySize: 2048,
    algorithm: "sha256",
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: "basicConstraints", cA: false },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true },
      { name: "extKeyUsage", serverAuth: true },
      { name: "subjectAltName", altNames: [{ type: 2, value: "localhost" }, { type: 7, ip: "127.0.0.1" }, { type: 7, ip: "::1" }] },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}
