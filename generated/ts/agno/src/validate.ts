// The request validator: checks a value against a schema description (a Shape) generated from the IR.
// Part of runcancel-generator's TypeScript client runtime, copied unchanged into each package; do not edit.
// The semantics are those of the generator's own payload validator (generator/ir/validate.py), which the
// tests hold this module to; each package's `schemas.ts` holds only data, read here.

/** What every shape may carry besides its kind's own rules. */
interface Common {
  /** `null` is accepted as well. */
  readonly n?: true;
  /** The value must be one of these (primitives; `ej` holds the JSON text when some are not). */
  readonly e?: readonly (string | number | boolean | null)[];
  readonly ej?: string;
  /** The value must be this one (a one-item list, so a `null` const differs from none; `cj`: JSON text). */
  readonly c?: readonly [string | number | boolean | null];
  readonly cj?: string;
}

/** One branch of a union, with the IR's summary of what it means for objects (used to explain a refusal). */
export interface VariantShape {
  readonly name: string;
  readonly s: Shape;
  /** Properties that must be present, the only ones that may be (absent: any), the ones it rejects. */
  readonly rq?: readonly string[];
  readonly al?: readonly string[];
  readonly fb?: readonly string[];
  /** oneOf: sets of properties that, all present, would make another variant match too. */
  readonly ex?: readonly (readonly string[])[];
}

/** A schema as data. `k` is the kind; the other keys are that kind's rules, all optional. */
export type Shape =
  | (Common & { readonly k: "any" | "never" | "null" | "boolean" })
  | (Common & {
      readonly k: "int" | "num";
      readonly min?: number;
      readonly max?: number;
      readonly xmin?: number;
      readonly xmax?: number;
      readonly mul?: number;
    })
  | (Common & {
      readonly k: "str";
      /** An asserted format: uuid, date or date-time. */
      readonly f?: string;
      /** A regular expression (ECMA-262, translated from the spec's) the string must contain a match of. */
      readonly p?: string;
      readonly minL?: number;
      readonly maxL?: number;
      /** A file: a Blob or bytes are taken as they are, a string is checked as one. */
      readonly bin?: true;
    })
  | (Common & {
      readonly k: "arr";
      readonly i: Shape;
      readonly minI?: number;
      readonly maxI?: number;
      readonly u?: true;
    })
  | (Common & {
      readonly k: "obj";
      /** Declared properties: name, shape, and whether it is required. */
      readonly p?: readonly (readonly [string, Shape, boolean])[];
      /** Other properties: absent means any, `false` none, a shape what each must match. */
      readonly a?: false | Shape;
      readonly minP?: number;
      readonly maxP?: number;
    })
  | (Common & { readonly k: "union"; readonly one?: true; readonly v: readonly VariantShape[] })
  | (Common & { readonly k: "ref"; readonly r: number });

/** A request's shape (the parameters object of a method, `body` included) and the named shapes it refers to. */
export interface RequestShape {
  readonly defs: readonly Shape[];
  readonly shape: Shape;
}

/** One reason a value was refused: where (a JSON pointer into the parameters object), which rule, and what. */
export interface Problem {
  readonly path: string;
  readonly rule: string;
  readonly message: string;
}

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const DATE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;
// RFC 3339 section 5.6; leap seconds are not accepted, as the generator's validator does not.
const DATE_TIME =
  /^([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt]([01][0-9]|2[0-3]):([0-5][0-9]):([0-5][0-9])(\.[0-9]+)?([Zz]|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$/;

function realDate(year: string, month: string, day: string): boolean {
  const y = Number(year);
  const m = Number(month);
  const d = Number(day);
  if (y < 1 || m < 1 || m > 12 || d < 1) {
    return false;
  }
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1] ?? 0;
  return d <= days;
}

const FORMATS: Readonly<Record<string, (text: string) => boolean>> = {
  uuid: (text) => UUID.test(text),
  date: (text) => {
    const m = DATE.exec(text);
    return m !== null && realDate(m[1] ?? "", m[2] ?? "", m[3] ?? "");
  },
  "date-time": (text) => {
    const m = DATE_TIME.exec(text);
    return m !== null && realDate(m[1] ?? "", m[2] ?? "", m[3] ?? "");
  },
};

// Patterns and JSON literals are compiled or parsed once, on first use: most shapes are never checked.
const patterns = new Map<string, RegExp | null>();
const literals = new Map<string, unknown>();

function regex(source: string): RegExp | null {
  let found = patterns.get(source);
  if (found === undefined) {
    try {
      found = new RegExp(source, "u");
    } catch {
      try {
        found = new RegExp(source);
      } catch {
        found = null; // not a pattern this platform reads: the rule cannot be checked, so it is not
      }
    }
    patterns.set(source, found);
  }
  return found;
}

function parsed(text: string): unknown {
  if (!literals.has(text)) {
    literals.set(text, JSON.parse(text) as unknown);
  }
  return literals.get(text);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return false;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** The keys of an object that hold a value: `undefined` is left out, as JSON leaves it out. */
function keysOf(value: Record<string, unknown>): string[] {
  return Object.keys(value).filter((key) => value[key] !== undefined);
}

/** The JSON type of a value, as JSON Schema names it (a whole number is an integer, `1.0` too). */
export function jsonType(value: unknown): string {
  if (value === null) {
    return "null";
  }
  if (typeof value === "number") {
    if (!Number.isFinite(value)) {
      return "non-finite number";
    }
    return Number.isInteger(value) ? "integer" : "number";
  }
  if (typeof value === "boolean" || typeof value === "string") {
    return typeof value;
  }
  if (Array.isArray(value)) {
    return "array";
  }
  if (isPlainObject(value)) {
    return "object";
  }
  if (typeof value === "object") {
    return (value as { constructor?: { name?: string } }).constructor?.name ?? "object";
  }
  return typeof value;
}

/** Equality as JSON Schema defines it: `true` is not `1`; objects by their keys and values. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  }
  if (isPlainObject(a) || isPlainObject(b)) {
    if (!isPlainObject(a) || !isPlainObject(b)) {
      return false;
    }
    const keys = keysOf(a);
    const other = keysOf(b);
    return keys.length === other.length && keys.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k], b[k]));
  }
  return a === b;
}

function pointer(base: string, key: string | number): string {
  return `${base}/${String(key).replace(/~/g, "~0").replace(/\//g, "~1")}`;
}

function quoted(names: readonly string[]): string {
  return names.map((name) => JSON.stringify(name)).join(", ");
}

function isFile(value: unknown): boolean {
  return (
    (typeof Blob !== "undefined" && value instanceof Blob) ||
    value instanceof ArrayBuffer ||
    ArrayBuffer.isView(value)
  );
}

/** Walks a value against a shape, collecting problems; with `first`, stops at the first (a yes/no question). */
class Walk {
  readonly found: Problem[] = [];

  constructor(
    private readonly defs: readonly Shape[],
    private readonly first: boolean,
  ) {}

  private add(path: string, rule: string, message: string): boolean {
    this.found.push({ path, rule, message });
    return this.first;
  }

  private ok(shape: Shape, value: unknown): boolean {
    const probe = new Walk(this.defs, true);
    probe.check(shape, value, "");
    return probe.found.length === 0;
  }

  /** Check `value`; true when the walk should stop (only ever with `first`). */
  check(shape: Shape, value: unknown, path: string): boolean {
    if (shape.c !== undefined || shape.cj !== undefined) {
      const wanted = shape.cj !== undefined ? parsed(shape.cj) : shape.c?.[0];
      if (!jsonEqual(value, wanted) && this.add(path, "const", `must be ${JSON.stringify(wanted)}`)) {
        return true;
      }
    }
    if (shape.e !== undefined || shape.ej !== undefined) {
      const options = (shape.ej !== undefined ? parsed(shape.ej) : shape.e) as readonly unknown[];
      if (!options.some((option) => jsonEqual(value, option))) {
        if (this.add(path, "enum", `must be one of ${JSON.stringify(options)}`)) {
          return true;
        }
      }
    }
    switch (shape.k) {
      case "any":
        return false;
      case "never":
        return this.add(path, "not", "no value is allowed here");
      case "ref": {
        const target = this.defs[shape.r];
        if (target === undefined || (value === null && shape.n === true)) {
          return false;
        }
        return this.check(target, value, path);
      }
      case "union":
        return value === null && shape.n === true ? false : this.union(shape, value, path);
      default:
        break;
    }
    if (value === null) {
      return shape.n === true || shape.k === "null" ? false : this.add(path, "type", "null is not allowed");
    }
    const kind = jsonType(value);
    switch (shape.k) {
      case "null":
        return this.add(path, "type", `expected null, got ${kind}`);
      case "boolean":
        return kind === "boolean" ? false : this.add(path, "type", `expected a boolean, got ${kind}`);
      case "int":
      case "num":
        return this.number(shape, value, kind, path);
      case "str":
        return this.string(shape, value, kind, path);
      case "arr":
        return this.array(shape, value, kind, path);
      case "obj":
        return this.object(shape, value, kind, path);
    }
  }

  private union(shape: Shape & { readonly k: "union" }, value: unknown, path: string): boolean {
    const matching = shape.v.filter((variant) => this.ok(variant.s, value));
    const combinator = shape.one === true ? "oneOf" : "anyOf";
    if (matching.length === 0) {
      // The variant the value was plainly meant for (its required properties given, none it rejects), if only
      // one: its own problems say more than "matches none".
      const keys = isPlainObject(value) ? new Set(keysOf(value)) : null;
      const meant =
        keys === null
          ? []
          : shape.v.filter(
              (v) =>
                (v.rq ?? []).length > 0 &&
                (v.rq ?? []).every((name) => keys.has(name)) &&
                !(v.fb ?? []).some((name) => keys.has(name)),
            );
      const only = meant.length === 1 ? meant[0] : undefined;
      if (only !== undefined && !this.first) {
        const before = this.found.length;
        this.check(only.s, value, path);
        if (this.found.length > before) {
          return false;
        }
      }
      return this.add(path, combinator, `matches none of ${quoted(shape.v.map((v) => v.name))}`);
    }
    if (shape.one === true && matching.length > 1) {
      const keys = isPlainObject(value) ? new Set(keysOf(value)) : new Set<string>();
      const clash = matching
        .flatMap((v) => v.ex ?? [])
        .find((names) => names.length > 0 && names.every((name) => keys.has(name)));
      const why = clash === undefined ? "" : `: ${quoted(clash)} cannot be given together with the rest`;
      return this.add(path, "oneOf", `matches more than one of ${quoted(matching.map((v) => v.name))}${why}`);
    }
    return false;
  }

  private number(shape: Shape & { readonly k: "int" | "num" }, value: unknown, kind: string, path: string): boolean {
    if ((kind !== "integer" && kind !== "number") || (shape.k === "int" && kind !== "integer")) {
      return this.add(path, "type", `expected ${shape.k === "int" ? "an integer" : "a number"}, got ${kind}`);
    }
    const x = value as number;
    const rules: [boolean, string, string][] = [
      [shape.min !== undefined && x < shape.min, "minimum", `must be at least ${shape.min}`],
      [shape.max !== undefined && x > shape.max, "maximum", `must be at most ${shape.max}`],
      [shape.xmin !== undefined && x <= shape.xmin, "exclusiveMinimum", `must be more than ${shape.xmin}`],
      [shape.xmax !== undefined && x >= shape.xmax, "exclusiveMaximum", `must be less than ${shape.xmax}`],
      [
        shape.mul !== undefined && !Number.isInteger(x / shape.mul),
        "multipleOf",
        `must be a multiple of ${shape.mul}`,
      ],
    ];
    return rules.some(([broken, rule, message]) => broken && this.add(path, rule, message));
  }

  private string(shape: Shape & { readonly k: "str" }, value: unknown, kind: string, path: string): boolean {
    if (shape.bin === true && isFile(value)) {
      return false;
    }
    if (kind !== "string") {
      return this.add(path, "type", `expected a string, got ${kind}`);
    }
    const text = value as string;
    const length = [...text].length; // code points, as JSON Schema counts
    const pattern = shape.p === undefined ? null : regex(shape.p);
    const format = shape.f === undefined ? undefined : FORMATS[shape.f];
    const rules: [boolean, string, string][] = [
      [shape.minL !== undefined && length < shape.minL, "minLength", `must be at least ${shape.minL} characters`],
      [shape.maxL !== undefined && length > shape.maxL, "maxLength", `must be at most ${shape.maxL} characters`],
      [pattern !== null && !pattern.test(text), "pattern", `must match ${JSON.stringify(shape.p)}`],
      [format !== undefined && !format(text), "format", `is not a valid ${shape.f}`],
    ];
    return rules.some(([broken, rule, message]) => broken && this.add(path, rule, message));
  }

  private array(shape: Shape & { readonly k: "arr" }, value: unknown, kind: string, path: string): boolean {
    if (kind !== "array") {
      return this.add(path, "type", `expected an array, got ${kind}`);
    }
    const items = value as readonly unknown[];
    if (shape.minI !== undefined && items.length < shape.minI) {
      if (this.add(path, "minItems", `must have at least ${shape.minI} items`)) {
        return true;
      }
    }
    if (shape.maxI !== undefined && items.length > shape.maxI) {
      if (this.add(path, "maxItems", `must have at most ${shape.maxI} items`)) {
        return true;
      }
    }
    if (shape.u === true) {
      const repeat = items.findIndex((item, index) => items.slice(0, index).some((earlier) => jsonEqual(item, earlier)));
      if (repeat >= 0 && this.add(pointer(path, repeat), "uniqueItems", "repeats an earlier item")) {
        return true;
      }
    }
    return items.some((item, index) => this.check(shape.i, item, pointer(path, index)));
  }

  private object(shape: Shape & { readonly k: "obj" }, value: unknown, kind: string, path: string): boolean {
    if (kind !== "object") {
      return this.add(path, "type", `expected an object, got ${kind}`);
    }
    const fields = value as Record<string, unknown>;
    const keys = keysOf(fields);
    if (shape.minP !== undefined && keys.length < shape.minP) {
      if (this.add(path, "minProperties", `must have at least ${shape.minP} properties`)) {
        return true;
      }
    }
    if (shape.maxP !== undefined && keys.length > shape.maxP) {
      if (this.add(path, "maxProperties", `must have at most ${shape.maxP} properties`)) {
        return true;
      }
    }
    // A Map, not an object: a property may be called anything, "__proto__" included.
    const declared = new Map<string, Shape>();
    for (const [name, child, required] of shape.p ?? []) {
      declared.set(name, child);
      if (required && fields[name] === undefined && this.add(pointer(path, name), "required", "is required")) {
        return true;
      }
    }
    for (const key of keys) {
      const child = declared.get(key);
      const where = pointer(path, key);
      if (child !== undefined) {
        if (this.check(child, fields[key], where)) {
          return true;
        }
      } else if (shape.a === false) {
        if (this.add(where, "additionalProperties", "is not allowed")) {
          return true;
        }
      } else if (shape.a !== undefined && this.check(shape.a, fields[key], where)) {
        return true;
      }
    }
    return false;
  }
}

/** Every problem with `value` against `shape` (none when it matches); `defs` are the shapes refs point to. */
export function findProblems(shape: Shape, value: unknown, defs: readonly Shape[] = []): Problem[] {
  const walk = new Walk(defs, false);
  walk.check(shape, value, "");
  return walk.found;
}

/** Whether `value` matches `shape`: stops at the first problem. */
export function matches(shape: Shape, value: unknown, defs: readonly Shape[] = []): boolean {
  const walk = new Walk(defs, true);
  walk.check(shape, value, "");
  return walk.found.length === 0;
}

/** Every problem with a method's parameters object (its `body` included), as the client checks it. */
export function checkRequest(request: RequestShape, params: unknown): Problem[] {
  return findProblems(request.shape, params ?? {}, request.defs);
}

/** A problem as one line: `/body/run_ids/0: format: is not a valid uuid`. */
export function describe(problem: Problem): string {
  return `${problem.path || "/"}: ${problem.rule}: ${problem.message}`;
}
