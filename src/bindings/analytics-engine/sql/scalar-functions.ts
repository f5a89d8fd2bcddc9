/** Conditional, arithmetic, math, bit, encoding and string functions. */
import { AnalyticsSqlError } from "./errors.js";
import { FN, type ByteSource, type RoundMode } from "./functions.js";
import { arity, constantNumber, constantString, define, integer, intTypeOf, numeric, text, type FunctionTable } from "./call-site.js";
import { arithmetic, branchType, illegalType, integerSql, textOf } from "./typed.js";
import { FLOAT64, INT64, intType, isInteger, STRING, superType, UINT64, UINT8, type AeType } from "./types.js";

export const FUNCTIONS: FunctionTable = new Map();

define(FUNCTIONS, ["if"], {
  translate(site) {
    arity(site, 3);
    const condition = site.condition(0);
    const a = site.arg(1);
    const b = site.arg(2);
    return { sql: `(CASE WHEN ${condition.sql} THEN ${a.sql} ELSE ${b.sql} END)`, type: branchType([a.type, b.type], site.name) };
  },
});

define(FUNCTIONS, ["multiIf"], {
  translate(site) {
    arity(site, 3, Infinity);
    if (site.args.length % 2 === 0) throw new AnalyticsSqlError(`Function multiIf needs an odd number of arguments: ${site.text}`);
    let sql = "(CASE";
    const types: AeType[] = [];
    for (let i = 0; i + 1 < site.args.length; i += 2) {
      const condition = site.condition(i);
      const value = site.arg(i + 1);
      types.push(value.type);
      sql += ` WHEN ${condition.sql} THEN ${value.sql}`;
    }
    const otherwise = site.arg(site.args.length - 1);
    types.push(otherwise.type);
    return { sql: `${sql} ELSE ${otherwise.sql} END)`, type: branchType(types, site.name) };
  },
});

// ---- arithmetic and math ----

define(FUNCTIONS, ["intDiv"], {
  translate(site) {
    arity(site, 2);
    const a = numeric(site, 0);
    const b = numeric(site, 1);
    // ClickHouse keeps the dividend's integer type.
    const type = isInteger(a.type) ? intTypeOf(a.type) : INT64;
    return { sql: integerSql(`${FN.intDiv}(${a.sql}, ${b.sql})`, type), type };
  },
});

define(FUNCTIONS, ["modulo"], {
  translate(site) {
    arity(site, 2);
    const { sql, type } = arithmetic("%", site.arg(0), site.arg(1));
    return { sql, type };
  },
});

define(FUNCTIONS, ["abs"], {
  translate(site) {
    arity(site, 1);
    const value = numeric(site, 0);
    const type = value.type.kind === "Int" ? intType(value.type.bits, false) : value.type.kind === "Bool" ? UINT8 : FLOAT64;
    return { sql: `abs(${value.sql})`, type };
  },
});

const ROUNDING: readonly [string[], RoundMode][] = [[["round"], "round"], [["floor"], "floor"], [["ceil", "ceiling"], "ceil"]];
for (const [names, mode] of ROUNDING) {
  define(FUNCTIONS, names, {
    translate(site) {
      arity(site, 1, 2);
      const value = numeric(site, 0);
      const digits = site.args.length > 1 ? constantNumber(site.arg(1), site, "the number of decimal places") : 0;
      if (!Number.isInteger(digits)) throw new AnalyticsSqlError(`${site.name}: the number of decimal places must be a whole number`);
      const type = isInteger(value.type) ? intTypeOf(value.type) : FLOAT64;
      // Rounding an integer to zero or more decimals leaves it as it is.
      if (isInteger(value.type) && digits >= 0) return { sql: value.sql, type };
      return { sql: integerSql(`${FN.round}(${value.sql}, ${digits}, '${mode}')`, type), type };
    },
  });
}

// SQLite's log() is base 10; ClickHouse's log is the natural logarithm.
for (const [names, fn] of [[["log", "ln"], "ln"], [["log2"], "log2"], [["log10"], "log10"], [["exp"], "exp"], [["sqrt"], "sqrt"]] as const) {
  define(FUNCTIONS, [...names], {
    translate(site) {
      arity(site, 1);
      return { sql: `${fn}(${numeric(site, 0).sql})`, type: FLOAT64 };
    },
  });
}

define(FUNCTIONS, ["pow", "power"], {
  translate(site) {
    arity(site, 2);
    return { sql: `pow(${numeric(site, 0).sql}, ${numeric(site, 1).sql})`, type: FLOAT64 };
  },
});

// ---- bits ----

/** All-ones mask of an unsigned type narrower than 64 bits, to keep results in range. */
function masked(sql: string, type: AeType): string {
  return type.kind === "Int" && !type.signed && type.bits < 64 ? `(${sql} & ${(1n << BigInt(type.bits)) - 1n})` : sql;
}

function bitsOf(type: AeType): number {
  return type.kind === "Int" ? type.bits : 8;
}

for (const [name, op] of [["bitAnd", "&"], ["bitOr", "|"], ["bitXor", "^"]] as const) {
  define(FUNCTIONS, [name], {
    translate(site) {
      arity(site, 2);
      const a = integer(site, 0);
      const b = integer(site, 1);
      const type = superType(intTypeOf(a.type), intTypeOf(b.type))!;
      // SQLite has no XOR operator: a ^ b = (a | b) - (a & b).
      const sql = op === "^" ? `((${a.sql} | ${b.sql}) - (${a.sql} & ${b.sql}))` : `(${a.sql} ${op} ${b.sql})`;
      return { sql, type };
    },
  });
}

define(FUNCTIONS, ["bitNot"], {
  translate(site) {
    arity(site, 1);
    const a = integer(site, 0);
    const type = intTypeOf(a.type);
    return { sql: masked(`(~${a.sql})`, type), type };
  },
});

define(FUNCTIONS, ["bitShiftLeft"], {
  translate(site) {
    arity(site, 2);
    const a = integer(site, 0);
    const type = intTypeOf(a.type);
    const signed = type.kind === "Int" && type.signed ? 1 : 0;
    return { sql: `${FN.toInt}((${a.sql} << ${integer(site, 1).sql}), ${bitsOf(type)}, ${signed})`, type };
  },
});

define(FUNCTIONS, ["bitShiftRight"], {
  translate(site) {
    arity(site, 2);
    const a = integer(site, 0);
    return { sql: `(${a.sql} >> ${integer(site, 1).sql})`, type: intTypeOf(a.type) };
  },
});

define(FUNCTIONS, ["bitTest"], {
  translate(site) {
    arity(site, 2);
    return { sql: `((${integer(site, 0).sql} >> ${integer(site, 1).sql}) & 1)`, type: UINT8 };
  },
});

define(FUNCTIONS, ["bitCount"], {
  translate(site) {
    arity(site, 1);
    const a = numeric(site, 0);
    return { sql: integerSql(`${FN.bitCount}(${a.sql}, '${byteSource(a.type)}')`, UINT8), type: UINT8 };
  },
});

define(FUNCTIONS, ["bitHammingDistance"], {
  translate(site) {
    arity(site, 2);
    const a = integer(site, 0).sql;
    const b = integer(site, 1).sql;
    return { sql: integerSql(`${FN.bitCount}(((${a} | ${b}) - (${a} & ${b})), 'int')`, UINT8), type: UINT8 };
  },
});

for (const [name, left] of [["bitRotateLeft", 1], ["bitRotateRight", 0]] as const) {
  define(FUNCTIONS, [name], {
    translate(site) {
      arity(site, 2);
      const a = integer(site, 0);
      const type = intTypeOf(a.type);
      return { sql: `${FN.bitRotate}(${a.sql}, ${integer(site, 1).sql}, ${bitsOf(type)}, ${left})`, type };
    },
  });
}

// ---- encoding ----

function byteSource(type: AeType): ByteSource {
  if (type.kind === "String") return "string";
  return type.kind === "Float64" ? "float" : "int";
}

for (const [name, fn] of [["hex", FN.hex], ["bin", FN.bin]] as const) {
  define(FUNCTIONS, [name], {
    translate(site) {
      arity(site, 1);
      const value = site.arg(0);
      if (value.type.kind === "Array" || value.type.kind === "Interval" || value.type.kind === "Nothing") throw illegalType(value.type, site.name);
      return { sql: `${fn}(${value.sql}, '${byteSource(value.type)}')`, type: STRING };
    },
  });
}

// ---- strings ----

define(FUNCTIONS, ["length", "lengthUTF8", "char_length", "character_length"], {
  translate(site) {
    arity(site, 1);
    const value = site.arg(0);
    // Cloudflare's length counts code points (ClickHouse's lengthUTF8); SQLite's length of TEXT does too.
    if (value.type.kind === "Array") return { sql: `json_array_length(${value.sql})`, type: UINT64 };
    if (value.type.kind !== "String") throw illegalType(value.type, site.name);
    return { sql: `length(${value.sql})`, type: UINT64 };
  },
});

for (const [names, sqlName] of [[["empty"], "="], [["notEmpty"], "<>"]] as const) {
  define(FUNCTIONS, [...names], {
    translate(site) {
      arity(site, 1);
      const value = site.arg(0);
      if (value.type.kind === "Array") return { sql: `(json_array_length(${value.sql}) ${sqlName} 0)`, type: UINT8 };
      if (value.type.kind !== "String") throw illegalType(value.type, site.name);
      return { sql: `(${value.sql} ${sqlName} '')`, type: UINT8 };
    },
  });
}

// SQLite's lower/upper change ASCII letters only, exactly like ClickHouse's lower/upper.
for (const [names, fn] of [[["lower", "lcase"], "lower"], [["upper", "ucase"], "upper"], [["lowerUTF8", "toLower"], FN.lowerUtf8], [["upperUTF8", "toUpper"], FN.upperUtf8]] as const) {
  define(FUNCTIONS, [...names], {
    translate(site) {
      arity(site, 1);
      return { sql: `${fn}(${text(site, 0).sql})`, type: STRING };
    },
  });
}

define(FUNCTIONS, ["concat"], {
  translate(site) {
    arity(site, 1, Infinity);
    return { sql: `(${site.args.map((_, i) => textOf(site.arg(i))).join(" || ")})`, type: STRING };
  },
});

define(FUNCTIONS, ["substring", "substr", "substringUTF8", "mid"], {
  translate(site) {
    arity(site, 2, 3);
    const args = [text(site, 0), integer(site, 1), ...(site.args.length > 2 ? [integer(site, 2)] : [])];
    return { sql: `substr(${args.map((a) => a.sql).join(", ")})`, type: STRING };
  },
});

for (const [name, fn] of [["startsWith", FN.startsWith], ["endsWith", FN.endsWith]] as const) {
  define(FUNCTIONS, [name], {
    translate(site) {
      arity(site, 2);
      return { sql: integerSql(`${fn}(${text(site, 0).sql}, ${text(site, 1).sql})`, UINT8), type: UINT8 };
    },
  });
}

define(FUNCTIONS, ["position", "locate", "positionUTF8"], {
  translate(site) {
    arity(site, 2);
    return { sql: `instr(${text(site, 0).sql}, ${text(site, 1).sql})`, type: UINT64 };
  },
});

define(FUNCTIONS, ["format"], {
  translate(site) {
    arity(site, 1, Infinity);
    const pattern = constantString(site.arg(0), site, "the pattern");
    const args = site.args.slice(1).map((_, i) => textOf(site.arg(i + 1)));
    return { sql: `${FN.format}(${[site.params.add(pattern), ...args].join(", ")})`, type: STRING };
  },
});
