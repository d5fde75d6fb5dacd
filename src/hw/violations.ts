import type { ErrorObject } from 'ajv';
import { ValidationError, describeValue } from '../errors.js';

/** One broken rule in a JSON document: where (JSON pointer), what was there, which rule it breaks. */
export interface Violation {
  path: string;
  value: unknown;
  rule: string;
}

/** Value at a JSON pointer ('' = the document), or undefined when the path does not exist. */
export function valueAt(doc: unknown, pointer: string): unknown {
  if (pointer === '') return doc;
  let node: unknown = doc;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * Converts ajv's errors (allErrors mode) into violations. 'if' errors are dropped: the matching
 * 'then' error already says what is missing. Missing and unknown properties point at the property.
 */
export function violationsFromAjv(doc: unknown, errors: readonly ErrorObject[] | null | undefined): Violation[] {
  const out: Violation[] = [];
  const seen = new Set<string>();
  for (const e of errors ?? []) {
    if (e.keyword === 'if') continue;
    let path = e.instancePath;
    let rule = e.message ?? e.keyword;
    let value = valueAt(doc, path);
    if (e.keyword === 'required') {
      path = `${path}/${escapePointer(String((e.params as { missingProperty: string }).missingProperty))}`;
      value = undefined;
      rule = 'required property is missing';
    } else if (e.keyword === 'additionalProperties') {
      const extra = String((e.params as { additionalProperty: string }).additionalProperty);
      path = `${path}/${escapePointer(extra)}`;
      value = valueAt(doc, path);
      rule = 'unknown property (not in the schema; check spelling and units in the field name)';
    } else if (e.keyword === 'enum') {
      rule = `must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
    } else if (e.keyword === 'const') {
      rule = `must be ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}`;
    } else if (e.keyword === 'dependencies') {
      const p = e.params as { property: string; missingProperty: string };
      path = `${path}/${escapePointer(p.missingProperty)}`;
      value = undefined;
      rule = `required when ${p.property} is given`;
    } else {
      rule = `${rule} (${e.keyword})`;
    }
    const key = `${path}\u0000${rule}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ path: path === '' ? '/' : path, value, rule });
  }
  return out;
}

export function formatViolation(v: Violation): string {
  return `${v.path}: got ${v.value === undefined ? '(missing)' : describeValue(v.value)}; ${v.rule}`;
}

/**
 * A document that breaks one or more rules. It is a ValidationError (the CLI prints it and exits 2)
 * whose message lists every violation, one per line.
 */
export class DocumentValidationError extends ValidationError {
  readonly violations: Violation[];

  constructor(what: string, violations: Violation[], allowed: string) {
    super(
      what,
      `${violations.length} violation${violations.length === 1 ? '' : 's'}`,
      `${allowed}; violations:\n${violations.map((v) => `  - ${formatViolation(v)}`).join('\n')}`,
    );
    this.name = 'DocumentValidationError';
    this.violations = violations;
  }
}
