/**
 * Plain data (objects, arrays, strings, numbers, booleans, null) as YAML
 * block style, for Kubernetes manifests. Strings are written as JSON strings,
 * which YAML reads as double-quoted scalars, so no value can change meaning
 * ("no", "1.0", "on" stay strings).
 *
 * @example
 * ```ts
 * toYaml({ kind: "Job", spec: { completions: 4 } }); // 'kind: "Job"\nspec:\n  completions: 4\n'
 * ```
 *
 * @module
 */

type Data = string | number | boolean | null | Data[] | { [key: string]: Data };

const KEY = /^[A-Za-z_][A-Za-z0-9_.\/-]*$/;

function scalar(v: string | number | boolean | null): string {
  if (typeof v === "number" && !Number.isFinite(v)) {
    throw new RangeError(`Cannot write ${v} as YAML`);
  }
  return JSON.stringify(v);
}

const isEmpty = (v: Data): boolean =>
  Array.isArray(v) ? v.length === 0 : typeof v === "object" && v !== null &&
    Object.keys(v).length === 0;

function block(value: Data, indent: string): string[] {
  if (Array.isArray(value)) {
    return value.flatMap((item) => {
      if (item !== null && typeof item === "object" && !isEmpty(item)) {
        const [first, ...rest] = block(item, indent + "  ");
        return [`${indent}- ${first!.trimStart()}`, ...rest];
      }
      return [`${indent}- ${inline(item)}`];
    });
  }
  if (value !== null && typeof value === "object") {
    return Object.entries(value).filter(([, v]) => v !== undefined).flatMap(([k, v]) => {
      const key = KEY.test(k) ? k : JSON.stringify(k);
      if (v !== null && typeof v === "object" && !isEmpty(v)) {
        return [`${indent}${key}:`, ...block(v, indent + "  ")];
      }
      return [`${indent}${key}: ${inline(v)}`];
    });
  }
  return [`${indent}${scalar(value)}`];
}

function inline(v: Data): string {
  if (Array.isArray(v)) return "[]";
  if (v !== null && typeof v === "object") return "{}";
  return scalar(v);
}

/** One YAML document of `value`. */
export function toYaml(value: unknown): string {
  return block(value as Data, "").join("\n") + "\n";
}

/** Several documents, separated by `---`. */
export function toYamlDocuments(values: readonly unknown[]): string {
  return values.map((v) => toYaml(v)).join("---\n");
}
