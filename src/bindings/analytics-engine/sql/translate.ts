/**
 * Plans a parsed statement: the SQLite query that computes it (over Hearth's `points` table) and
 * the ClickHouse name and type of every result column. Pure: the caller says which datasets exist
 * and what time it is, and runs the plan.
 *
 * A SELECT becomes one SQLite SELECT (a FROM subquery nests one more); result columns are aliased
 * c0, c1, … so SQLite never resolves a name of ours against them. With LIMIT or OFFSET the plan
 * also carries a query counting the rows before them, for `rows_before_limit_at_least`.
 */
import type { Expr, OutputFormat, SelectQuery, Statement } from "./ast.js";
import { DEFAULT_TIMEZONE, supportedTimezones } from "./datetime.js";
import { AnalyticsSqlError } from "./errors.js";
import { ExpressionTranslator, type Mode, type Scope } from "./expressions.js";
import { DATASET_COLUMN, POINTS_TABLE, TABLE_COLUMNS } from "./schema.js";
import { Params, type Typed } from "./typed.js";
import { isNumeric, STRING, typeName, type AeType } from "./types.js";

export interface ResultColumn {
  name: string;
  type: AeType;
}

export interface Plan {
  format: OutputFormat;
  columns: ResultColumn[];
  /** Rows known without running SQL (SHOW TIMEZONE[S]). */
  rows?: unknown[][];
  /** The query to run, when the rows come from the database. */
  query?: {
    sql: string;
    params: Record<string, string>;
    /** Counts the rows before LIMIT/OFFSET; absent when there are none. */
    countSql?: string;
  };
}

export interface PlanContext {
  /** Whether any point of dataset `name` exists (a dataset is a table once written to). */
  hasTable(name: string): boolean;
  /** The time `now()` returns, in milliseconds since the epoch. */
  nowMs: number;
}

const DEFAULT_FORMAT: OutputFormat = "JSON";
const MILLISECONDS_PER_SECOND = 1000;

/** Plans `statement`, parsed from `sql`. Throws AnalyticsSqlError for unknown names and invalid queries. */
export function planStatement(statement: Statement, sql: string, context: PlanContext): Plan {
  const format = statement.format ?? DEFAULT_FORMAT;
  switch (statement.kind) {
    case "showTables":
      return {
        format,
        columns: [{ name: DATASET_COLUMN, type: STRING }],
        query: { sql: `SELECT DISTINCT ${DATASET_COLUMN} FROM ${POINTS_TABLE} ORDER BY ${DATASET_COLUMN}`, params: {} },
      };
    case "showTimezones":
      return { format, columns: [{ name: "name", type: STRING }], rows: supportedTimezones().map((tz) => [tz]) };
    case "showTimezone":
      return { format, columns: [{ name: "timezone", type: STRING }], rows: [[DEFAULT_TIMEZONE]] };
    case "select": {
      const params = new Params();
      const planned = new SelectPlanner(sql, context, params).plan(statement.query);
      return { format, columns: planned.columns, query: { sql: planned.sql, params: params.values, ...(planned.countSql ? { countSql: planned.countSql } : {}) } };
    }
  }
}

interface PlannedSelect {
  sql: string;
  countSql?: string;
  columns: ResultColumn[];
}

/** One output column of a SELECT while it is planned. */
interface Output {
  name: string;
  typed: Typed;
}

class SelectPlanner {
  /** Numbers the aliases of nested FROM sources. */
  private depth = 0;

  constructor(
    /** The query text, for column names and messages. */
    private readonly text: string,
    private readonly context: PlanContext,
    private readonly params: Params,
  ) {}

  plan(query: SelectQuery): PlannedSelect {
    const sourceAlias = `q${this.depth++}`;
    const { scope, fromSql, filters } = this.source(query, sourceAlias);
    const translator = new ExpressionTranslator(this.text, scope, this.params, Math.floor(this.context.nowMs / MILLISECONDS_PER_SECOND));
    const selectMode: Mode = { clause: "the select list", aggregates: true, insideAggregate: false };

    // Outputs are translated once to resolve `GROUP BY 1`, then again knowing the GROUP BY keys.
    const firstOutputs = this.outputs(query, translator, selectMode);
    const groupBy = query.groupBy.map((node) =>
      this.positional(node, firstOutputs, "GROUP BY") ?? translator.translate(node, { clause: "GROUP BY", aggregates: false, insideAggregate: false }),
    );
    const aggregateKey = groupBy.find((g) => g.aggregate);
    if (aggregateKey) throw new AnalyticsSqlError(`GROUP BY refers to an aggregate function: ${aggregateKey.sql}`);
    translator.groupKeys = new Set(groupBy.map((g) => g.sql));
    const outputs = this.outputs(query, translator, selectMode);

    if (query.where) filters.push(this.condition(translator, query.where, "WHERE"));
    const having = query.having && translator.translate(query.having, { clause: "HAVING", aggregates: true, insideAggregate: false });
    const orderBy = query.orderBy.map((item) => ({
      typed: this.positional(item.expr, outputs, "ORDER BY") ?? translator.translate(item.expr, { clause: "ORDER BY", aggregates: true, insideAggregate: false }),
      descending: item.descending,
    }));

    const aggregating = groupBy.length > 0 || [...outputs.map((o) => o.typed), ...orderBy.map((o) => o.typed), ...(having ? [having] : [])].some((t) => t.aggregate);
    if (having && !aggregating) throw new AnalyticsSqlError("HAVING needs GROUP BY or an aggregate function");
    if (having && !isNumeric(having.type)) throw new AnalyticsSqlError(`HAVING needs a condition, got ${typeName(having.type)}`);
    if (aggregating) {
      for (const t of [...outputs.map((o) => o.typed), ...(having ? [having] : []), ...orderBy.map((o) => o.typed)]) {
        if (t.ungrouped !== undefined) throw new AnalyticsSqlError(`Column '${t.ungrouped}' is not under an aggregate function and not in GROUP BY`);
      }
    }

    const select = `SELECT ${query.distinct ? "DISTINCT " : ""}${outputs.map((o, i) => `${o.typed.sql} AS c${i}`).join(", ")}`;
    let body = fromSql;
    if (filters.length > 0) body += ` WHERE ${filters.join(" AND ")}`;
    if (groupBy.length > 0) body += ` GROUP BY ${groupBy.map((g) => g.sql).join(", ")}`;
    if (having) body += ` HAVING ${having.sql}`;
    const unlimited = `${select}${body}`;
    let sql = unlimited;
    if (orderBy.length > 0) sql += ` ORDER BY ${orderBy.map((o) => `${o.typed.sql}${o.descending ? " DESC" : ""}`).join(", ")}`;
    // SQLite needs a LIMIT before OFFSET; -1 means none.
    if (query.limit !== undefined || query.offset !== undefined) sql += ` LIMIT ${query.limit ?? -1}`;
    if (query.offset !== undefined) sql += ` OFFSET ${query.offset}`;

    const columns = outputs.map((o) => ({ name: o.name, type: o.typed.type }));
    for (const column of columns) {
      if (column.type.kind === "Interval") throw new AnalyticsSqlError(`An INTERVAL cannot be a result column: ${column.name}`);
    }
    const planned: PlannedSelect = { sql, columns };
    if (query.limit !== undefined || query.offset !== undefined) planned.countSql = `SELECT COUNT(*) FROM (${unlimited})`;
    return planned;
  }

  /** The FROM source: its columns by name, the SQL of the FROM clause and the filters it needs. */
  private source(query: SelectQuery, alias: string): { scope: Scope; fromSql: string; filters: string[] } {
    const aliases = new Map<string, Expr>();
    for (const item of query.items) {
      if (item.kind !== "expr" || item.alias === undefined) continue;
      const previous = aliases.get(item.alias);
      if (previous && this.slice(previous) !== this.slice(item.expr)) {
        throw new AnalyticsSqlError(`Different expressions with the same alias ${item.alias}`);
      }
      aliases.set(item.alias, item.expr);
    }
    const from = query.from;
    if (!from) return { scope: { columns: new Map(), qualifiers: new Set(), aliases }, fromSql: "", filters: [] };
    const qualifiers = new Set<string>(from.alias !== undefined ? [from.alias] : []);
    const columns = new Map<string, { sql: string; type: AeType }>();
    if (from.kind === "table") {
      if (!this.context.hasTable(from.name)) {
        throw new AnalyticsSqlError(`Unknown table '${from.name}': no data points have been written to that dataset`);
      }
      qualifiers.add(from.name);
      for (const column of TABLE_COLUMNS) columns.set(column.name, { sql: column.sql(alias), type: column.type });
      const filter = `${alias}.${DATASET_COLUMN} = ${this.params.add(from.name)}`;
      return { scope: { columns, qualifiers, aliases }, fromSql: ` FROM ${POINTS_TABLE} AS ${alias}`, filters: [filter] };
    }
    const inner = this.plan(from.query);
    inner.columns.forEach((column, i) => {
      if (!columns.has(column.name)) columns.set(column.name, { sql: `${alias}.c${i}`, type: column.type });
    });
    return { scope: { columns, qualifiers, aliases }, fromSql: ` FROM (${inner.sql}) AS ${alias}`, filters: [] };
  }

  private slice(node: Expr): string {
    return this.text.slice(node.start, node.end);
  }

  /** The select list, `*` expanded into the source's columns. */
  private outputs(query: SelectQuery, translator: ExpressionTranslator, mode: Mode): Output[] {
    const outputs: Output[] = [];
    for (const item of query.items) {
      if (item.kind === "star") {
        if (translator.scope.columns.size === 0) throw new AnalyticsSqlError("SELECT * needs a FROM clause");
        for (const [name, column] of translator.scope.columns) {
          const typed: Typed = { sql: column.sql, type: column.type, aggregate: false, ungrouped: name };
          if (translator.groupKeys.has(column.sql)) delete typed.ungrouped;
          outputs.push({ name, typed });
        }
        continue;
      }
      const typed = translator.withinAlias(item.alias, () => translator.translate(item.expr, mode));
      outputs.push({ name: item.alias ?? this.columnName(item.expr), typed });
    }
    return outputs;
  }

  /** ClickHouse's name for an unaliased column: the expression as written, an identifier without its quotes. */
  private columnName(node: Expr): string {
    if (node.kind !== "identifier") return this.slice(node);
    return node.qualifier === undefined ? node.name : `${node.qualifier}.${node.name}`;
  }

  /** `GROUP BY 2` / `ORDER BY 2`: an integer literal names a result column by position. */
  private positional(node: Expr, outputs: readonly Output[], clause: string): Typed | undefined {
    if (node.kind !== "number" || !/^\d+$/.test(node.text)) return undefined;
    const position = Number(node.text);
    const output = outputs[position - 1];
    if (!output) throw new AnalyticsSqlError(`${clause} position ${position} is out of range: the query has ${outputs.length} result columns`);
    return output.typed;
  }

  private condition(translator: ExpressionTranslator, node: Expr, clause: string): string {
    const t = translator.translate(node, { clause, aggregates: false, insideAggregate: false });
    if (!isNumeric(t.type) && t.type.kind !== "Nothing") throw new AnalyticsSqlError(`${clause} needs a condition, got ${typeName(t.type)}`);
    return t.sql;
  }
}
