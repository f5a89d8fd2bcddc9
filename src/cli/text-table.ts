/**
 * Rows of text drawn as a box table, the way wrangler's `logger.table` prints query results and
 * migration lists:
 *
 *     ┌────┬──────┐
 *     │ id │ name │
 *     ├────┼──────┤
 *     │ 1  │ ada  │
 *     └────┴──────┘
 */

/** Columns are the keys of the rows, in first-seen order; a missing cell is empty. Ends with a newline. */
export function textTable(rows: readonly Record<string, string>[]): string {
  const columns: string[] = [];
  for (const row of rows) for (const key of Object.keys(row)) if (!columns.includes(key)) columns.push(key);
  const width = (text: string) => [...text].length;
  const widths = columns.map((c) => Math.max(width(c), ...rows.map((r) => width(r[c] ?? ""))));
  const line = (left: string, mid: string, right: string) => left + widths.map((w) => "─".repeat(w + 2)).join(mid) + right;
  const cells = (values: string[]) => "│" + values.map((v, i) => ` ${v}${" ".repeat(widths[i]! - width(v))} `).join("│") + "│";
  return (
    [
      line("┌", "┬", "┐"),
      cells(columns),
      line("├", "┼", "┤"),
      ...rows.map((r) => cells(columns.map((c) => r[c] ?? ""))),
      line("└", "┴", "┘"),
    ].join("\n") + "\n"
  );
}
