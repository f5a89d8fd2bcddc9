/**
 * Checks one section of a parsed config (the top level, or one `[env.NAME]`) against the key
 * table in `schema.ts`. Wrong types are errors; unknown keys and bad compatibility dates are
 * warnings (a compatibility date never stops startup: the key is dropped instead).
 *
 * Messages name the key path the way the user wrote it, e.g.
 * `"env.staging.kv_namespaces[0].binding" should be a string but got 42`.
 */
import { HearthError } from "../shared/errors.js";
import { isPlainObject } from "./parse.js";
import { CONFIG_KEYS, keySpec, type KeySpec } from "./schema.js";
import { describeShape, type Shape } from "./shape.js";

export interface ConfigProblem {
  /** Dotted key path, e.g. `env.staging.kv_namespaces[0].binding`. */
  key: string;
  message: string;
  /** The binding name, for problems about one binding. */
  binding?: string;
}

export interface SectionDiagnostics {
  errors: ConfigProblem[];
  warnings: string[];
  /** Keys of the section whose value is unusable but not fatal (bad dates); the caller drops them. */
  ignored: string[];
}

/**
 * Validates `section`. `envName` is set when the section is `[env.NAME]`: then top-level-only
 * keys are warned about (wrangler's "Unexpected fields found in env.NAME field") and ignored.
 */
export function validateSection(section: Record<string, unknown>, envName?: string): SectionDiagnostics {
  const diagnostics: SectionDiagnostics = { errors: [], warnings: [], ignored: [] };
  const prefix = envName === undefined ? "" : `env.${envName}.`;
  const unexpected: string[] = [];
  const topLevelOnly: string[] = [];
  for (const [key, value] of Object.entries(section)) {
    const spec = keySpec(key);
    if (spec === undefined) {
      unexpected.push(key);
      continue;
    }
    if (envName !== undefined && spec.scope === "top-level") {
      unexpected.push(key);
      topLevelOnly.push(key);
      continue;
    }
    if (value === undefined) continue;
    const before = diagnostics.warnings.length;
    walk(value, spec.shape, prefix + key, diagnostics);
    if (spec.shape.kind === "date" && diagnostics.warnings.length > before) diagnostics.ignored.push(key);
  }
  if (unexpected.length > 0) {
    const where = envName === undefined ? "top-level" : `env.${envName}`;
    let warning = `Unexpected fields found in ${where} field: ${unexpected.map((k) => JSON.stringify(k)).join(",")}`;
    if (topLevelOnly.length > 0) {
      const list = topLevelOnly.map((k) => JSON.stringify(k)).join(", ");
      warning += `\n  ${list} can only be set at the top level of the configuration; ignored inside env.${envName}.`;
    }
    diagnostics.warnings.push(warning);
  }
  return diagnostics;
}

function walk(value: unknown, shape: Shape, key: string, out: SectionDiagnostics): void {
  switch (shape.kind) {
    case "any":
      return;
    case "string":
    case "number":
    case "boolean":
      if (typeof value !== shape.kind) mismatch(value, shape, key, out);
      return;
    case "null":
      if (value !== null) mismatch(value, shape, key, out);
      return;
    case "date":
      if (!isValidDate(value)) {
        out.warnings.push(
          `"${key}" should be a date in the form YYYY-MM-DD but got ${formatValue(value)}; it is ignored.`,
        );
      }
      return;
    case "enum":
      if (!shape.values.includes(value as string)) mismatch(value, shape, key, out);
      return;
    case "array":
      if (!Array.isArray(value)) return mismatch(value, shape, key, out);
      value.forEach((item, index) => walk(item, shape.of, `${key}[${index}]`, out));
      return;
    case "record":
      if (!isPlainObject(value)) return mismatch(value, shape, key, out);
      for (const [name, item] of Object.entries(value)) walk(item, shape.of, childKey(key, name), out);
      return;
    case "object":
      return walkObject(value, shape, key, out);
    case "union":
      return walkUnion(value, shape, key, out);
  }
}

function walkObject(value: unknown, shape: Extract<Shape, { kind: "object" }>, key: string, out: SectionDiagnostics): void {
  if (!isPlainObject(value)) return mismatch(value, shape, key, out);
  for (const [name, field] of Object.entries(shape.fields)) {
    const item = value[name];
    if (item === undefined) {
      if (field.required) out.errors.push({ key: childKey(key, name), message: `"${childKey(key, name)}" is a required field` });
      continue;
    }
    walk(item, field.shape, childKey(key, name), out);
  }
  if (!shape.open) {
    const extra = Object.keys(value).filter((name) => !Object.hasOwn(shape.fields, name));
    if (extra.length > 0) {
      out.warnings.push(`Unexpected fields found in ${key} field: ${extra.map((k) => JSON.stringify(k)).join(",")}`);
    }
  }
}

/**
 * A union is checked against the one option of the value's basic kind when there is exactly one
 * (so `{ pattern = 1 }` for a route reports `"route.pattern"`); otherwise it must match some option.
 */
function walkUnion(value: unknown, shape: Extract<Shape, { kind: "union" }>, key: string, out: SectionDiagnostics): void {
  const candidates = shape.options.filter((option) => basicKind(option) === kindOfValue(value));
  if (candidates.length === 1) return walk(value, candidates[0]!, key, out);
  for (const option of candidates) {
    const trial: SectionDiagnostics = { errors: [], warnings: [], ignored: [] };
    walk(value, option, key, trial);
    if (trial.errors.length === 0) {
      out.warnings.push(...trial.warnings);
      return;
    }
  }
  mismatch(value, shape, key, out);
}

type BasicKind = "string" | "number" | "boolean" | "null" | "array" | "object" | "other";

function basicKind(shape: Shape): BasicKind | "any" {
  switch (shape.kind) {
    case "any":
      return "any";
    case "date":
      return "string";
    case "enum":
      return kindOfValue(shape.values[0]);
    case "record":
      return "object";
    case "union":
      return "other";
    default:
      return shape.kind;
  }
}

function kindOfValue(value: unknown): BasicKind {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (isPlainObject(value)) return "object";
  const type = typeof value;
  return type === "string" || type === "number" || type === "boolean" ? type : "other";
}

function mismatch(value: unknown, shape: Shape, key: string, out: SectionDiagnostics): void {
  out.errors.push({ key, message: `"${key}" should be ${describeShape(shape)} but got ${formatValue(value)}` });
}

/** `vars` + `API-KEY` → `vars["API-KEY"]`; `vars` + `A` → `vars.A`. */
function childKey(parent: string, name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? `${parent}.${name}` : `${parent}[${JSON.stringify(name)}]`;
}

function formatValue(value: unknown): string {
  const text = value === undefined ? "undefined" : JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** `YYYY-MM-DD` naming a real calendar day. */
export function isValidDate(value: unknown): value is string {
  if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(value);
}

/**
 * Binding names must be unique across every kind (wrangler's "X assigned to KV Namespace and R2
 * Bucket bindings"). Reads the effective config; returns one problem per clashing name.
 */
export function findDuplicateBindings(config: Record<string, unknown>): ConfigProblem[] {
  const kindsByName = new Map<string, { kinds: string[]; key: string }>();
  for (const [key, spec] of Object.entries(CONFIG_KEYS) as [string, KeySpec][]) {
    if (spec.binding === undefined || config[key] === undefined) continue;
    for (const name of bindingNames(key, spec.shape, config[key])) {
      const entry = kindsByName.get(name) ?? { kinds: [], key };
      entry.kinds.push(spec.binding);
      kindsByName.set(name, entry);
    }
  }
  const problems: ConfigProblem[] = [];
  for (const [name, { kinds, key }] of kindsByName) {
    if (kinds.length < 2) continue;
    const distinct = [...new Set(kinds)];
    const what = distinct.length === 1 ? `multiple ${distinct[0]} bindings` : `${distinct.join(" and ")} bindings`;
    problems.push({ key, binding: name, message: `"${name}" is assigned to ${what}; binding names must be unique` });
  }
  return problems;
}

function bindingNames(key: string, shape: Shape, value: unknown): string[] {
  const names = (list: unknown, field: "binding" | "name"): string[] =>
    Array.isArray(list)
      ? list.flatMap((entry) => {
          const name = isPlainObject(entry) ? (entry[field] ?? entry["name"]) : undefined;
          return typeof name === "string" ? [name] : [];
        })
      : [];
  if (key === "durable_objects") return isPlainObject(value) ? names(value["bindings"], "name") : [];
  if (key === "queues") return isPlainObject(value) ? names(value["producers"], "binding") : [];
  if (shape.kind === "record") return isPlainObject(value) ? Object.keys(value) : [];
  if (Array.isArray(value)) return names(value, "binding");
  if (isPlainObject(value) && typeof value["binding"] === "string") return [value["binding"]];
  return [];
}

/** Throws ERR_CONFIG_INVALID listing every problem; `context.key` is the first one's key. */
export function throwIfProblems(problems: ConfigProblem[], file: string, displayPath: string): void {
  const first = problems[0];
  if (first === undefined) return;
  const message = problems.map((p) => `${displayPath}: ${p.message}`).join("\n");
  throw new HearthError("ERR_CONFIG_INVALID", message, {
    file,
    key: first.key,
    ...(first.binding === undefined ? {} : { binding: first.binding }),
  });
}
