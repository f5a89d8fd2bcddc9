/**
 * The syntax tree the parser builds from one Analytics Engine SQL statement. Every expression
 * keeps its offsets in the query, because ClickHouse names an unaliased result column after the
 * expression as written (`count()`, `SUM(_sample_interval)`).
 */

/** Where a node was written: offsets into the query text. */
export interface Span {
  start: number;
  end: number;
}

/** Units of `INTERVAL n UNIT`. */
export const INTERVAL_UNITS = ["SECOND", "MINUTE", "HOUR", "DAY", "WEEK", "MONTH", "QUARTER", "YEAR"] as const;
export type IntervalUnit = (typeof INTERVAL_UNITS)[number];

/** Output formats of the FORMAT clause. */
export const OUTPUT_FORMATS = ["JSON", "JSONEachRow", "TabSeparated"] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export type BinaryOperator =
  | "+" | "-" | "*" | "/" | "%" | "||"
  | "=" | "!=" | "<" | "<=" | ">" | ">="
  | "AND" | "OR";

export type Expr = Span &
  (
    | { kind: "number"; text: string }
    | { kind: "string"; value: string }
    | { kind: "bool"; value: boolean }
    | { kind: "null" }
    /** A column or alias; `qualifier` is the `t` of `t.name`. */
    | { kind: "identifier"; name: string; qualifier?: string }
    /** `*`, only as `count(*)`'s argument. */
    | { kind: "star" }
    | { kind: "interval"; amount: Expr; unit: IntervalUnit }
    | { kind: "negate"; operand: Expr }
    | { kind: "not"; operand: Expr }
    | { kind: "binary"; operator: BinaryOperator; left: Expr; right: Expr }
    | { kind: "in"; operand: Expr; list: Expr[]; negated: boolean }
    | { kind: "between"; operand: Expr; low: Expr; high: Expr; negated: boolean }
    | { kind: "like"; operand: Expr; pattern: Expr; negated: boolean; caseInsensitive: boolean }
    | { kind: "isNull"; operand: Expr; negated: boolean }
    | { kind: "case"; operand?: Expr; branches: { when: Expr; then: Expr }[]; otherwise?: Expr }
    /**
     * A function call. `parameters` holds the first list of a parametric aggregate
     * (`quantileExactWeighted(0.5)(x, w)`, `topK(10)(x)`); `distinct` is `count(DISTINCT x)`.
     */
    | { kind: "call"; name: string; parameters?: Expr[]; args: Expr[]; distinct: boolean }
  );

/** `expr [AS alias]` in the select list, or `*`. */
export type SelectItem = Span & ({ kind: "star" } | { kind: "expr"; expr: Expr; alias?: string });

export type FromClause =
  | { kind: "table"; name: string; alias?: string }
  | { kind: "subquery"; query: SelectQuery; alias?: string };

export interface OrderItem {
  expr: Expr;
  descending: boolean;
}

export interface SelectQuery {
  distinct: boolean;
  items: SelectItem[];
  from?: FromClause;
  where?: Expr;
  groupBy: Expr[];
  having?: Expr;
  orderBy: OrderItem[];
  /** Most rows to return; absent for no LIMIT or `LIMIT ALL`. */
  limit?: number;
  /** Rows to skip. */
  offset?: number;
}

export type Statement = { format?: OutputFormat } & (
  | { kind: "showTables" }
  | { kind: "showTimezones" }
  | { kind: "showTimezone" }
  | { kind: "select"; query: SelectQuery }
);
