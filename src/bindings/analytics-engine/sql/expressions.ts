/**
 * Translates expressions of the tree into SQLite SQL, inferring each one's ClickHouse type.
 *
 * - Aliases are global, as in ClickHouse: any `expr AS name` of the select list can be used in
 *   WHERE, GROUP BY, HAVING, ORDER BY and other select items; the translator inlines the aliased
 *   expression (an alias wins over a column of the same name, except inside its own definition).
 * - String literals become named parameters, one per distinct value, so equal expressions always
 *   translate to equal SQL: GROUP BY validation compares SQL text.
 * - Every result records whether it contains an aggregate and which column, if any, it reads outside
 *   an aggregate and outside a GROUP BY key, which is what ClickHouse refuses in an aggregate query.
 */
import type { Expr, IntervalUnit } from "./ast.js";
import { AnalyticsSqlError } from "./errors.js";
import { FN } from "./functions.js";
import { lookupFunction, type CallSite } from "./function-catalog.js";
import {
  arithmetic, commonType, comparisonSides, derived, illegalType, numberLiteral, textOf, type Params, type Typed,
} from "./typed.js";
import { BOOL, isInteger, isNumeric, negatedType, NOTHING, STRING, typeName, UINT8, type AeType } from "./types.js";

/** Where an expression appears, which decides whether aggregates may be used. */
export interface Mode {
  /** The clause, for messages: "WHERE", "GROUP BY", "the select list"… */
  clause: string;
  aggregates: boolean;
  insideAggregate: boolean;
}

/** The names an expression can refer to. */
export interface Scope {
  /** Columns of the FROM source, by name. */
  columns: ReadonlyMap<string, { sql: string; type: AeType }>;
  /** Names a column may be qualified with (`t.blob1`): the table name and its alias. */
  qualifiers: ReadonlySet<string>;
  /** Select-list aliases and the expressions they name. */
  aliases: ReadonlyMap<string, Expr>;
}

const COMPARISON_SQL: Readonly<Record<string, string>> = { "=": "=", "!=": "<>", "<": "<", "<=": "<=", ">": ">", ">=": ">=" };

export class ExpressionTranslator {
  /** SQL of the GROUP BY keys; a subexpression equal to one of them reads no ungrouped column. */
  groupKeys: ReadonlySet<string> = new Set();
  /** Aliases being expanded: inside its own definition a name means the column. */
  private readonly expanding = new Set<string>();

  constructor(
    /** The query text, for column names and messages. */
    readonly sql: string,
    readonly scope: Scope,
    readonly params: Params,
    /** `now()`, in seconds. */
    readonly nowSeconds: number,
  ) {}

  /** Runs `f` with `alias` resolving to the column of that name (used for the alias's own definition). */
  withinAlias<T>(alias: string | undefined, f: () => T): T {
    if (alias === undefined || this.expanding.has(alias)) return f();
    this.expanding.add(alias);
    try {
      return f();
    } finally {
      this.expanding.delete(alias);
    }
  }

  text(node: Expr): string {
    return this.sql.slice(node.start, node.end);
  }

  translate(node: Expr, mode: Mode): Typed {
    const t = this.node(node, mode);
    if (t.ungrouped !== undefined && this.groupKeys.has(t.sql)) delete t.ungrouped;
    return t;
  }

  private node(node: Expr, mode: Mode): Typed {
    switch (node.kind) {
      case "number":
        return numberLiteral(node.text);
      case "string":
        return { sql: this.params.add(node.value), type: STRING, aggregate: false, constant: node.value };
      case "bool":
        return { sql: node.value ? "1" : "0", type: BOOL, aggregate: false, constant: node.value };
      case "null":
        return { sql: "NULL", type: NOTHING, aggregate: false, constant: null };
      case "identifier":
        return this.identifier(node, mode);
      case "star":
        throw new AnalyticsSqlError(`'*' is only allowed alone in the select list or as count(*)`);
      case "interval":
        return this.interval(node.amount, node.unit, mode);
      case "negate": {
        const operand = this.translate(node.operand, mode);
        if (!isNumeric(operand.type)) throw illegalType(operand.type, "negate");
        return derived(`(-${operand.sql})`, negatedType(operand.type), [operand], typeof operand.constant === "number" ? -operand.constant : undefined);
      }
      case "not": {
        const operand = this.condition(node.operand, mode, "not");
        return derived(`(NOT ${operand.sql})`, UINT8, [operand]);
      }
      case "binary":
        return this.binary(node.operator, node.left, node.right, mode);
      case "in": {
        const operand = this.translate(node.operand, mode);
        const list = node.list.map((item) => this.translate(item, mode));
        const sqls = list.map((item) => comparisonSides(operand, item, "in")[1]);
        return derived(`(${operand.sql} ${node.negated ? "NOT IN" : "IN"} (${sqls.join(", ")}))`, UINT8, [operand, ...list]);
      }
      case "between": {
        const operand = this.translate(node.operand, mode);
        const low = this.translate(node.low, mode);
        const high = this.translate(node.high, mode);
        const [, lowSql] = comparisonSides(operand, low, "between");
        const [, highSql] = comparisonSides(operand, high, "between");
        return derived(`(${operand.sql} ${node.negated ? "NOT BETWEEN" : "BETWEEN"} ${lowSql} AND ${highSql})`, UINT8, [operand, low, high]);
      }
      case "like": {
        const name = node.caseInsensitive ? "ilike" : "like";
        const operand = this.translate(node.operand, mode);
        const pattern = this.translate(node.pattern, mode);
        if (operand.type.kind !== "String") throw illegalType(operand.type, name);
        if (pattern.type.kind !== "String") throw illegalType(pattern.type, name);
        const sql = `${FN.like}(${operand.sql}, ${pattern.sql}, ${node.caseInsensitive ? 1 : 0})`;
        return derived(node.negated ? `(NOT ${sql})` : sql, UINT8, [operand, pattern]);
      }
      case "isNull": {
        const operand = this.translate(node.operand, mode);
        return derived(`(${operand.sql} IS ${node.negated ? "NOT " : ""}NULL)`, UINT8, [operand]);
      }
      case "case":
        return this.caseExpression(node, mode);
      case "call":
        return this.call(node, mode);
    }
  }

  private identifier(node: Expr & { kind: "identifier" }, mode: Mode): Typed {
    if (node.qualifier !== undefined) {
      if (!this.scope.qualifiers.has(node.qualifier)) throw new AnalyticsSqlError(`Unknown table '${node.qualifier}' in '${this.text(node)}'`);
      return this.column(node.name);
    }
    const aliased = this.scope.aliases.get(node.name);
    if (aliased && !this.expanding.has(node.name)) return this.withinAlias(node.name, () => this.translate(aliased, mode));
    return this.column(node.name);
  }

  private column(name: string): Typed {
    const column = this.scope.columns.get(name);
    if (!column) throw new AnalyticsSqlError(`Unknown column '${name}'`);
    return { sql: column.sql, type: column.type, aggregate: false, ungrouped: name };
  }

  private interval(amountNode: Expr, unit: IntervalUnit, mode: Mode): Typed {
    const amount = this.translate(amountNode, mode);
    if (!isInteger(amount.type)) throw new AnalyticsSqlError(`INTERVAL needs a whole number, got ${typeName(amount.type)}`);
    return { ...derived(amount.sql, { kind: "Interval", unit }, [amount], amount.constant ?? undefined), intervalAmount: amount };
  }

  /** An operand of AND/OR/NOT/WHERE/if: a number (non-zero is true) or NULL. */
  condition(node: Expr, mode: Mode, what: string): Typed {
    const t = this.translate(node, mode);
    if (!isNumeric(t.type) && t.type.kind !== "Nothing") throw illegalType(t.type, what);
    return t;
  }

  private binary(operator: string, leftNode: Expr, rightNode: Expr, mode: Mode): Typed {
    if (operator === "AND" || operator === "OR") {
      const left = this.condition(leftNode, mode, operator.toLowerCase());
      const right = this.condition(rightNode, mode, operator.toLowerCase());
      return derived(`(${left.sql} ${operator} ${right.sql})`, UINT8, [left, right]);
    }
    const left = this.translate(leftNode, mode);
    const right = this.translate(rightNode, mode);
    const comparison = COMPARISON_SQL[operator];
    if (comparison) {
      const [a, b] = comparisonSides(left, right, operator);
      return derived(`(${a} ${comparison} ${b})`, UINT8, [left, right]);
    }
    if (operator === "||") return derived(`(${textOf(left)} || ${textOf(right)})`, STRING, [left, right]);
    return arithmetic(operator as "+" | "-" | "*" | "/" | "%", left, right);
  }

  private caseExpression(node: Expr & { kind: "case" }, mode: Mode): Typed {
    const operand = node.operand && this.translate(node.operand, mode);
    const parts: Typed[] = operand ? [operand] : [];
    let sql = operand ? `CASE ${operand.sql}` : "CASE";
    let type: AeType | undefined;
    for (const branch of node.branches) {
      const when = operand ? this.translate(branch.when, mode) : this.condition(branch.when, mode, "CASE WHEN");
      const whenSql = operand ? comparisonSides(operand, when, "CASE")[1] : when.sql;
      const then = this.translate(branch.then, mode);
      type = commonType(type, then.type, "CASE");
      parts.push(when, then);
      sql += ` WHEN ${whenSql} THEN ${then.sql}`;
    }
    if (node.otherwise) {
      const otherwise = this.translate(node.otherwise, mode);
      type = commonType(type, otherwise.type, "CASE");
      parts.push(otherwise);
      sql += ` ELSE ${otherwise.sql}`;
    }
    return derived(`${sql} END`, type!, parts);
  }

  private call(node: Expr & { kind: "call" }, mode: Mode): Typed {
    const def = lookupFunction(node.name);
    if (!def) throw new AnalyticsSqlError(`Unknown function ${node.name}`);
    if (node.parameters && !def.parametric) throw new AnalyticsSqlError(`Function ${node.name} takes no parameters: ${this.text(node)}`);
    if (node.distinct && !def.distinct) throw new AnalyticsSqlError(`DISTINCT is not allowed in ${node.name}()`);
    let argMode = mode;
    if (def.aggregate) {
      if (!mode.aggregates) throw new AnalyticsSqlError(`Aggregate function ${this.text(node)} is found in ${mode.clause}`);
      if (mode.insideAggregate) throw new AnalyticsSqlError(`Aggregate function ${this.text(node)} is found inside another aggregate function`);
      argMode = { ...mode, insideAggregate: true };
    }
    const seen: Typed[] = [];
    const site: CallSite = {
      name: node.name,
      text: this.text(node),
      args: node.args,
      parameters: node.parameters ?? [],
      distinct: node.distinct,
      nowSeconds: this.nowSeconds,
      params: this.params,
      arg: (i) => {
        const arg = node.args[i];
        if (!arg) throw new AnalyticsSqlError(`Function ${node.name} needs an argument ${i + 1}: ${this.text(node)}`);
        const t = this.translate(arg, argMode);
        seen.push(t);
        return t;
      },
      parameter: (i) => {
        const p = node.parameters?.[i];
        return p ? this.translate(p, { clause: "function parameters", aggregates: false, insideAggregate: false }) : undefined;
      },
      condition: (i) => {
        const t = this.condition(node.args[i]!, argMode, node.name);
        seen.push(t);
        return t;
      },
    };
    const result = def.translate(site);
    if (def.aggregate) return { ...result, aggregate: true };
    return derived(result.sql, result.type, seen, result.constant);
  }
}
