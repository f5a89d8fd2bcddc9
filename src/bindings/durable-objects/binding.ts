/**
 * Durable Object bindings and hosted classes from a Worker's config: `durable_objects.bindings`
 * (name, class_name, script_name, environment) and the `migrations` that declare which classes
 * this Worker defines and how they store data.
 */
import path from "node:path";
import { kindDir, safeFileSegment } from "../../shared/paths.js";
import type { DurableObjectBinding } from "../descriptor.js";
import type { HostedClass } from "./engine.js";

export interface DurableObjectBindingConfigEntry {
  name: string;
  class_name: string;
  script_name?: string;
  environment?: string;
}

export interface DurableObjectMigrationEntry {
  new_classes?: string[];
  new_sqlite_classes?: string[];
  renamed_classes?: { from: string; to: string }[];
  deleted_classes?: string[];
  transferred_classes?: { from: string; from_script: string; to: string }[];
}

/** Where a class's objects live: `<state>/do/<script>-<Class>/`. */
export function classDir(stateRoot: string, scriptName: string, className: string): string {
  return path.join(kindDir(stateRoot, "do"), safeFileSegment(`${scriptName}-${className}`));
}

export function durableObjectDescriptors(entries: readonly DurableObjectBindingConfigEntry[], workerName: string): DurableObjectBinding[] {
  return entries.map((entry) => {
    const other = entry.script_name !== undefined && entry.script_name !== workerName;
    const scriptName = other ? (entry.environment ? `${entry.script_name}-${entry.environment}` : entry.script_name!) : workerName;
    return { kind: "durable-object", name: entry.name, className: entry.class_name, scriptName, local: !other };
  });
}

/**
 * The classes this Worker defines, replaying its migrations in order. A renamed class keeps the
 * folder of its first name, so its objects keep their data. A class bound here but missing from
 * the migrations is hosted with the key-value backend, as wrangler's local mode tolerates.
 */
export function hostedClasses(
  migrations: readonly DurableObjectMigrationEntry[],
  localBindings: readonly DurableObjectBinding[],
  workerName: string,
  stateRoot: string,
): HostedClass[] {
  const classes = new Map<string, HostedClass>();
  const add = (className: string, sqlite: boolean) => classes.set(className, { className, sqlite, dir: classDir(stateRoot, workerName, className) });
  for (const migration of migrations) {
    for (const className of migration.new_classes ?? []) add(className, false);
    for (const className of migration.new_sqlite_classes ?? []) add(className, true);
    for (const { to } of migration.transferred_classes ?? []) add(to, false);
    for (const { from, to } of migration.renamed_classes ?? []) {
      const previous = classes.get(from);
      classes.delete(from);
      classes.set(to, previous ? { ...previous, className: to } : { className: to, sqlite: false, dir: classDir(stateRoot, workerName, to) });
    }
    for (const className of migration.deleted_classes ?? []) classes.delete(className);
  }
  for (const binding of localBindings) if (binding.local && !classes.has(binding.className)) add(binding.className, false);
  return [...classes.values()];
}
