/**
 * A tiny declarative type language for config values. `schema.ts` describes every wrangler key
 * with it once; `validate.ts` walks a parsed file against those descriptions. No decorators, no
 * classes: a shape is plain data, so the table stays readable.
 */

export type Shape =
  | { readonly kind: "string" }
  | { readonly kind: "number" }
  | { readonly kind: "boolean" }
  /** `null` (only inside a union, e.g. `max_concurrency: number | null`). */
  | { readonly kind: "null" }
  /** Any JSON/TOML value (e.g. a `vars` entry or service `props`). */
  | { readonly kind: "any" }
  /** A `YYYY-MM-DD` date. A bad value is a warning and the key is ignored, never an error. */
  | { readonly kind: "date" }
  | { readonly kind: "enum"; readonly values: readonly (string | number | boolean)[] }
  | { readonly kind: "array"; readonly of: Shape }
  /** A map from user-chosen names to values (e.g. `vars`, `define`, `alias`). */
  | { readonly kind: "record"; readonly of: Shape }
  /**
   * An object with known fields. Fields not listed are warned about
   * ("Unexpected fields found in ... field"), unless `open` is set.
   */
  | { readonly kind: "object"; readonly fields: Readonly<Record<string, Field>>; readonly open?: boolean }
  /** One of several shapes; `label` is what the error says was expected. */
  | { readonly kind: "union"; readonly options: readonly Shape[]; readonly label: string };

export interface Field {
  readonly shape: Shape;
  readonly required?: boolean;
}

export const str: Shape = { kind: "string" };
export const num: Shape = { kind: "number" };
export const bool: Shape = { kind: "boolean" };
export const nul: Shape = { kind: "null" };
export const json: Shape = { kind: "any" };
export const date: Shape = { kind: "date" };
export const strings: Shape = { kind: "array", of: str };

export function oneOf(...values: (string | number | boolean)[]): Shape {
  return { kind: "enum", values };
}

export function arrayOf(of: Shape): Shape {
  return { kind: "array", of };
}

export function recordOf(of: Shape): Shape {
  return { kind: "record", of };
}

/** Marks an object field as required. */
export function required(shape: Shape): Field {
  return { shape, required: true };
}

/** An object whose fields are each a Shape (optional) or a Field made by `required()`. */
export function obj(fields: Record<string, Shape | Field>, options: { open?: boolean } = {}): Shape {
  const normalised: Record<string, Field> = {};
  for (const [key, value] of Object.entries(fields)) {
    normalised[key] = "shape" in value ? value : { shape: value };
  }
  return { kind: "object", fields: normalised, open: options.open };
}

export function union(label: string, ...options: Shape[]): Shape {
  return { kind: "union", options, label };
}

/** A list of objects that each name a binding: `[{ binding = "X", ... }]`. */
export function bindingList(fields: Record<string, Shape | Field>): Shape {
  return arrayOf(obj({ binding: required(str), ...fields }));
}

/** How an error message names what a shape expects: `a string`, `one of "http", "https"` ... */
export function describeShape(shape: Shape): string {
  switch (shape.kind) {
    case "string":
      return "a string";
    case "number":
      return "a number";
    case "boolean":
      return "a boolean";
    case "null":
      return "null";
    case "any":
      return "a value";
    case "date":
      return "a date string (YYYY-MM-DD)";
    case "enum":
      return `one of ${shape.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "array":
      return shape.of.kind === "string" ? "an array of strings" : "an array";
    case "record":
    case "object":
      return "an object";
    case "union":
      return shape.label;
  }
}
