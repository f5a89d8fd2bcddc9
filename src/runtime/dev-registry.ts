/**
 * The local registry through which separate `hearth dev` / `hearth pages dev` processes on one
 * machine find each other's Workers: one small JSON file per running Worker in a shared folder
 * (`~/.hearth/registry`, or `$HEARTH_REGISTRY_DIR`). An entry whose process is gone is ignored
 * and removed, so a killed session never leaves a binding pointing nowhere for long.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { safeFileSegment } from "../shared/paths.js";

export interface RegistryEntry {
  name: string;
  /** Base URL of the dev server that runs the Worker (loopback). */
  url: string;
  pid: number;
}

export function defaultRegistryDir(): string {
  return process.env.HEARTH_REGISTRY_DIR ?? path.join(os.homedir(), ".hearth", "registry");
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export class DevRegistry {
  constructor(private readonly dir: string = defaultRegistryDir()) {}

  private file(name: string): string {
    return path.join(this.dir, `${safeFileSegment(name)}.json`);
  }

  /** Announces a Worker; returns the function that withdraws it. */
  register(name: string, url: string): () => void {
    fs.mkdirSync(this.dir, { recursive: true });
    const file = this.file(name);
    const temp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temp, JSON.stringify({ name, url, pid: process.pid } satisfies RegistryEntry));
    fs.renameSync(temp, file);
    return () => {
      // Only our own entry: another session may have taken the name since.
      if (this.read(file)?.pid === process.pid) fs.rmSync(file, { force: true });
    };
  }

  find(name: string): RegistryEntry | undefined {
    const file = this.file(name);
    const entry = this.read(file);
    if (!entry) return undefined;
    if (alive(entry.pid)) return entry;
    fs.rmSync(file, { force: true });
    return undefined;
  }

  private read(file: string): RegistryEntry | undefined {
    try {
      const entry = JSON.parse(fs.readFileSync(file, "utf8")) as Partial<RegistryEntry>;
      return typeof entry.url === "string" && typeof entry.pid === "number" && typeof entry.name === "string" ? (entry as RegistryEntry) : undefined;
    } catch {
      return undefined;
    }
  }
}
