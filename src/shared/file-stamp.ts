import fs from "node:fs";

/**
 * A cheap identity of a file's current content: changes when the file is written, replaced or
 * removed. "" when there is no such file. Used to re-read small config files only after an edit.
 */
export function fileStamp(file: string): string {
  try {
    const stat = fs.statSync(file);
    return stat.isFile() ? `${stat.mtimeMs}:${stat.size}:${stat.ino}` : "";
  } catch {
    return "";
  }
}
