/**
 * The binding flags of `wrangler pages dev` (api-surface.md 0.7): `--kv BINDING[=ID]`,
 * `--d1 BINDING[=ID]`, `--r2 BINDING[=BUCKET]`, `--do BINDING=Class[@script]`,
 * `--service BINDING=script[@env][#entrypoint]`, `--ai BINDING`. A value that does not parse is
 * reported (wrangler's wording) and ignored. Kinds Hearth does not have yet are reported as not
 * supported rather than faked.
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

interface Kind {
  flag: keyof BindingFlags;
  /** As in wrangler's "Could not parse <label> binding". */
  label: string;
  /** What Hearth would provide, for the "not supported yet" warning. */
  what: string;
  pattern: RegExp;
}

const UNSUPPORTED: Kind[] = [
  { flag: "ai", label: "AI", what: "Workers AI", pattern: AI },
];

export interface ParsedBindingFlags {
  kv: KvNamespaceConfig[];
  /** `--r2 BINDING[=BUCKET]`: the bucket defaults to the binding name. */
  r2: { binding: string; bucket?: string }[];
  /** `--d1 BINDING[=ID]`: the id defaults to the binding name. */
  d1: { binding: string; id?: string }[];
  services: ServiceBindingConfigEntry[];
  durableObjects: DurableObjectBindingConfigEntry[];
  notes: PlanNote[];
}

/** KV namespaces from `--kv`, service bindings from `--service`, and a note for every other binding flag. */
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
  for (const kind of UNSUPPORTED) {
    for (const value of flags[kind.flag] ?? []) {
      const groups = kind.pattern.exec(value)?.groups;
      notes.push({
        level: "warn",
        message: groups
          ? `Hearth does not support ${kind.what} yet: --${kind.flag} ${value} is ignored, so env.${groups["binding"]} is not available to the Functions.`
          : `Could not parse ${kind.label} binding: ${value}`,
      });
    }
  }
  return { kv, r2, d1, services, durableObjects, notes };
}
