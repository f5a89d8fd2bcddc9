/**
 * The binding flags of `wrangler pages dev` (api-surface.md 0.7): `--kv BINDING[=ID]`,
 * `--d1 BINDING[=ID]`, `--r2 BINDING[=BUCKET]`, `--do BINDING=Class[@script]`,
 * `--service BINDING=script[@env][#entrypoint]`, `--ai BINDING`. A value that does not parse is
 * reported (wrangler's wording) and ignored.
 */
import type { KvNamespaceConfig } from "../bindings/kv/index.js";
import type { ServiceBindingConfigEntry } from "../bindings/service/index.js";
import type { DurableObjectBindingConfigEntry } from "../bindings/durable-objects/index.js";
import type { PlanNote } from "../config/index.js";

export interface BindingFlags {
  kv?: string[];
  d1?: string[];
  r2?: string[];
  do?: string[];
  service?: string[];
  ai?: string[];
}

const BINDING_WITH_OPTIONAL_REF = /^(?<binding>[^=\s]+)(?:=(?<ref>[^\s]+))?$/;
const DURABLE_OBJECT = /^(?<binding>[^=\s]+)=(?<className>[^@\s]+)(?:@(?<scriptName>.*))?$/;
const SERVICE = /^(?<binding>[^=\s]+)=(?<service>[^@#\s]+)(?:@(?<environment>[^#\s]*))?(?:#(?<entrypoint>.*))?$/;
const AI = /^(?<binding>[^=\s]+)$/;

export interface ParsedBindingFlags {
  kv: KvNamespaceConfig[];
  /** `--r2 BINDING[=BUCKET]`: the bucket defaults to the binding name. */
  r2: { binding: string; bucket?: string }[];
  /** `--d1 BINDING[=ID]`: the id defaults to the binding name. */
  d1: { binding: string; id?: string }[];
  services: ServiceBindingConfigEntry[];
  durableObjects: DurableObjectBindingConfigEntry[];
  /** `--ai BINDING`: binding names of Workers AI bindings. */
  ai: string[];
  notes: PlanNote[];
}

/** The bindings the flags name, and a note for every value that does not parse. */
export function parseBindingFlags(flags: BindingFlags): ParsedBindingFlags {
  const kv: KvNamespaceConfig[] = [];
  const r2: ParsedBindingFlags["r2"] = [];
  const d1: ParsedBindingFlags["d1"] = [];
  const services: ServiceBindingConfigEntry[] = [];
  const durableObjects: DurableObjectBindingConfigEntry[] = [];
  const notes: PlanNote[] = [];
  for (const value of flags.kv ?? []) {
    const groups = BINDING_WITH_OPTIONAL_REF.exec(value)?.groups;
    if (!groups) notes.push({ level: "warn", message: `Could not parse KV binding: ${value}` });
    else kv.push({ binding: groups["binding"]!, id: groups["ref"] ?? groups["binding"]! });
  }
  for (const value of flags.r2 ?? []) {
    const groups = BINDING_WITH_OPTIONAL_REF.exec(value)?.groups;
    if (!groups) notes.push({ level: "warn", message: `Could not parse R2 binding: ${value}` });
    else r2.push({ binding: groups["binding"]!, bucket: groups["ref"] });
  }
  for (const value of flags.d1 ?? []) {
    const groups = BINDING_WITH_OPTIONAL_REF.exec(value)?.groups;
    if (!groups) notes.push({ level: "warn", message: `Could not parse D1 binding: ${value}` });
    else d1.push({ binding: groups["binding"]!, id: groups["ref"] });
  }
  for (const value of flags.service ?? []) {
    const groups = SERVICE.exec(value)?.groups;
    if (!groups) notes.push({ level: "warn", message: `Could not parse Service binding: ${value}` });
    else {
      services.push({
        binding: groups["binding"]!,
        service: groups["service"]!,
        environment: groups["environment"] || undefined,
        entrypoint: groups["entrypoint"] || undefined,
      });
    }
  }
  for (const value of flags.do ?? []) {
    const groups = DURABLE_OBJECT.exec(value)?.groups;
    if (!groups) notes.push({ level: "warn", message: `Could not parse Durable Object binding: ${value}` });
    else durableObjects.push({ name: groups["binding"]!, class_name: groups["className"]!, script_name: groups["scriptName"] || undefined });
  }
  const ai: string[] = [];
  for (const value of flags.ai ?? []) {
    const groups = AI.exec(value)?.groups;
    if (!groups) notes.push({ level: "warn", message: `Could not parse AI binding: ${value}` });
    else ai.push(groups["binding"]!);
  }
  return { kv, r2, d1, services, durableObjects, ai, notes };
}
