/** Temporary projects for tests: a folder with the given files, removed by the caller. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export function makeProject(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-test-"));
  writeFiles(dir, files);
  return dir;
}

export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
}

export function removeProject(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}
