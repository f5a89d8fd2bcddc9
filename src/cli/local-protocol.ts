/** `--local-protocol`, `--https-key-path`, `--https-cert-path` of `hearth dev` and `hearth pages dev`. */
import type { Argv } from "yargs";
import { localCertificate, type TlsFiles } from "../server/local-certificate.js";

export interface LocalProtocolArgs {
  "local-protocol"?: string;
  "https-key-path"?: string;
  "https-cert-path"?: string;
}

/** The key and certificate to serve HTTPS with: `--local-protocol` (else `dev.local_protocol` of the config) says whether. */
export async function tlsFor(args: LocalProtocolArgs, configProtocol: "http" | "https" | undefined, cwd: string): Promise<TlsFiles | undefined> {
  if ((args["local-protocol"] ?? configProtocol ?? "http") !== "https") return undefined;
  return localCertificate({ keyPath: args["https-key-path"], certPath: args["https-cert-path"], cwd });
}

/** Declares the three flags. */
export function localProtocolOptions<T>(y: Argv<T>) {
  return y
    .option("local-protocol", { type: "string", choices: ["http", "https"], describe: "Protocol to listen with" })
    .option("https-key-path", { type: "string", requiresArg: true, describe: "Key file (PEM) for --local-protocol https (default: a self-signed certificate)" })
    .option("https-cert-path", { type: "string", requiresArg: true, describe: "Certificate file (PEM) for --local-protocol https" });
}
