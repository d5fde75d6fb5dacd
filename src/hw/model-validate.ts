import { readFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import type { Quantity } from './model.js';
import { type Violation, valueAt, violationsFromAjv } from './violations.js';

/** The hw-models/ folder of the installed package (found by walking up from this file). */
export function hwModelsDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'hw-models');
    if (existsSync(join(candidate, 'schema.json'))) return candidate;
    const parent = resolve(dir, '..');
    if (parent === dir) throw new Error('hw-models/schema.json not found above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

let validator: ValidateFunction | undefined;

function schemaValidator(): ValidateFunction {
  if (!validator) {
    const schema = JSON.parse(readFileSync(join(hwModelsDir(), 'schema.json'), 'utf8')) as object;
    validator = new Ajv({ allErrors: true, strict: false }).compile(schema);
  }
  return validator;
}

/**
 * Plausible ranges per unit. A value outside them almost always means the wrong unit was typed
 * (joules into a pJ field, seconds into a ns field). Zero is always allowed: it means "included
 * elsewhere", and the quantity's arithmetic must say where.
 */
const UNIT_RANGES: { prefix: string; min: number; max: number; unit: string }[] = [
  { prefix: '/energyPj/', min: 1e-6, max: 1e7, unit: 'pJ' },
  { prefix: '/latencyNs/', min: 1e-6, max: 1e9, unit: 'ns' },
  { prefix: '/staticPowerMw/', min: 1e-9, max: 1e6, unit: 'mW' },
  { prefix: '/annBaseline/', min: 1e-6, max: 1e7, unit: 'pJ' },
  { prefix: '/technology/nodeNm', min: 1, max: 10000, unit: 'nm' },
  { prefix: '/technology/supplyV', min: 0.01, max: 100, unit: 'V' },
  { prefix: '/timestep/tickUs', min: 1e-3, max: 1e9, unit: 'us' },
  { prefix: '/device/gMinUs', min: 1e-9, max: 1e6, unit: 'uS' },
  { prefix: '/device/gMaxUs', min: 1e-9, max: 1e6, unit: 'uS' },
  { prefix: '/device/readPulseNs', min: 1e-3, max: 1e9, unit: 'ns' },
  { prefix: '/device/writePulseNs', min: 1e-3, max: 1e9, unit: 'ns' },
];

/** Every quantity-shaped object in the document, with its JSON pointer. */
function quantities(doc: unknown, path = ''): { path: string; q: Quantity }[] {
  if (doc === null || typeof doc !== 'object') return [];
  const obj = doc as Record<string, unknown>;
  if ('value' in obj && 'source' in obj && 'status' in obj) return [{ path, q: obj as unknown as Quantity }];
  const out: { path: string; q: Quantity }[] = [];
  for (const [k, v] of Object.entries(obj)) {
    if (k === 'references') continue;
    out.push(...quantities(v, `${path}/${k}`));
  }
  return out;
}

/** Every number in the document that is NaN or infinite (JSON cannot hold them, objects built in code can). */
function nonFinite(doc: unknown, path = ''): Violation[] {
  if (typeof doc === 'number') return Number.isFinite(doc) ? [] : [{ path: path || '/', value: doc, rule: 'must be a finite number' }];
  if (doc === null || typeof doc !== 'object') return [];
  return Object.entries(doc as Record<string, unknown>).flatMap(([k, v]) => nonFinite(v, `${path}/${k}`));
}

/** Rules JSON Schema cannot express: finite numbers, references resolve, units are plausible, ranges are ordered. */
function semanticViolations(doc: Record<string, unknown>): Violation[] {
  const out: Violation[] = nonFinite(doc);
  const refs = doc.references && typeof doc.references === 'object' ? Object.keys(doc.references as object) : [];
  const known = refs.length ? refs.map((r) => JSON.stringify(r)).join(', ') : '(none defined)';
  for (const { path, q } of quantities(doc)) {
    if (typeof q.source === 'string' && !refs.includes(q.source)) {
      out.push({ path: `${path}/source`, value: q.source, rule: `must name a key of /references (defined: ${known})` });
    }
    if (typeof q.via === 'string' && !refs.includes(q.via)) {
      out.push({ path: `${path}/via`, value: q.via, rule: `must name a key of /references (defined: ${known})` });
    }
    if (typeof q.value === 'number' && Number.isFinite(q.value) && q.value > 0) {
      const range = UNIT_RANGES.find((r) => path.startsWith(r.prefix));
      if (range && (Math.abs(q.value) < range.min || Math.abs(q.value) > range.max)) {
        out.push({
          path: `${path}/value`,
          value: q.value,
          rule: `implausible for a value in ${range.unit}: must be 0 or within [${range.min}, ${range.max}] ${range.unit} (was it entered in another unit?)`,
        });
      }
    }
  }
  const minBits = valueAt(doc, '/weightPrecision/minBits/value');
  const maxBits = valueAt(doc, '/weightPrecision/maxBits/value');
  if (typeof minBits === 'number' && typeof maxBits === 'number' && minBits > maxBits) {
    out.push({ path: '/weightPrecision/minBits/value', value: minBits, rule: `must be <= maxBits (${maxBits})` });
  }
  const gMin = valueAt(doc, '/device/gMinUs/value');
  const gMax = valueAt(doc, '/device/gMaxUs/value');
  if (typeof gMin === 'number' && typeof gMax === 'number' && gMin >= gMax) {
    out.push({ path: '/device/gMinUs/value', value: gMin, rule: `must be < gMaxUs (${gMax})` });
  }
  if (valueAt(doc, '/energyPj/weightWritePerPulse') !== undefined && doc.writePulsesPerWeightWrite === undefined) {
    out.push({ path: '/writePulsesPerWeightWrite', value: undefined, rule: 'required when energyPj.weightWritePerPulse is given' });
  }
  if (valueAt(doc, '/latencyNs/barrierSyncPerExtraMeshTile') !== undefined && valueAt(doc, '/latencyNs/barrierSync') === undefined) {
    out.push({ path: '/latencyNs/barrierSync', value: undefined, rule: 'required when latencyNs.barrierSyncPerExtraMeshTile is given' });
  }
  return out;
}

/**
 * Every violation of hw-models/schema.json plus the semantic rules, in one list (empty = valid).
 * Each violation names the JSON path, the value found there and the rule it breaks.
 */
export function validateModel(doc: unknown): Violation[] {
  const validate = schemaValidator();
  const ok = validate(doc);
  const out = ok ? [] : violationsFromAjv(doc, validate.errors);
  if (doc !== null && typeof doc === 'object' && !Array.isArray(doc)) out.push(...semanticViolations(doc as Record<string, unknown>));
  return out;
}
