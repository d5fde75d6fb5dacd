/**
 * Layer state files: a compact, versioned binary format (little-endian).
 *   bytes 0..7   magic "DSTPLYR1"
 *   bytes 8..11  u32 format version (STATE_VERSION)
 *   bytes 12..15 u32 length H of the JSON header
 *   bytes 16..   JSON header (UTF-8): format, version, config, globalStep, counters, and the list of
 *                sections {name, type, length, offset}; then zero padding to a multiple of 8
 *   data         the sections' raw arrays, each at its offset from the start of the data area
 * Non-finite numbers in the config (e.g. tauTheta: Infinity) are written as the strings "Infinity"/"-Infinity".
 */
import { ValidationError } from '../errors.js';
import { COUNTER_NAMES, type Counters } from './counters.js';
import type { LayerConfig, LayerState } from './types.js';
import type { ResolvedConfig } from './config.js';

export const STATE_FORMAT = 'deep-stdp-layer-state' as const;
export const STATE_VERSION = 1;
const MAGIC = 'DSTPLYR1';

type SectionType = 'f32' | 'u8' | 'i32' | 'u32';
interface Section {
  name: keyof LayerState;
  type: SectionType;
  length: number;
  offset: number;
}

const SECTION_NAMES = [
  'weights', 'weightLevels', 'theta', 'membrane', 'synapticCurrent', 'refractory', 'preTrace', 'preTraceStep',
  'postTrace', 'postTraceStep', 'dirtyColumns',
] as const;

const CTORS = { f32: Float32Array, u8: Uint8Array, i32: Int32Array, u32: Uint32Array };

function typeOf(a: ArrayBufferView): SectionType {
  if (a instanceof Float32Array) return 'f32';
  if (a instanceof Uint8Array) return 'u8';
  if (a instanceof Int32Array) return 'i32';
  return 'u32';
}

function replacer(_key: string, value: unknown): unknown {
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return value;
}

function reviver(_key: string, value: unknown): unknown {
  if (value === 'Infinity') return Infinity;
  if (value === '-Infinity') return -Infinity;
  return value;
}

export function encodeState(s: LayerState): Uint8Array {
  const sections: Section[] = [];
  const arrays: ArrayBufferView[] = [];
  let offset = 0;
  for (const name of SECTION_NAMES) {
    const a = s[name] as ArrayBufferView | null;
    if (!a) continue;
    sections.push({ name, type: typeOf(a), length: (a as unknown as ArrayLike<number>).length, offset });
    arrays.push(a);
    offset += Math.ceil(a.byteLength / 8) * 8;
  }
  const header = JSON.stringify(
    { format: s.format, version: s.version, config: s.config, globalStep: s.globalStep, counters: s.counters, sections },
    replacer,
  );
  const headerBytes = new TextEncoder().encode(header);
  const dataStart = Math.ceil((16 + headerBytes.length) / 8) * 8;
  const out = new Uint8Array(dataStart + offset);
  out.set(new TextEncoder().encode(MAGIC), 0);
  const dv = new DataView(out.buffer);
  dv.setUint32(8, STATE_VERSION, true);
  dv.setUint32(12, headerBytes.length, true);
  out.set(headerBytes, 16);
  sections.forEach((sec, k) => {
    const a = arrays[k];
    out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), dataStart + sec.offset);
  });
  return out;
}

export function decodeState(bytes: Uint8Array, source = 'state'): LayerState {
  const bad = (what: string): never => {
    throw new ValidationError('state file', source, what);
  };
  if (bytes.length < 16 || new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) {
    bad(`a deep-stdp layer state file (magic "${MAGIC}")`);
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = dv.getUint32(8, true);
  if (version !== STATE_VERSION) {
    throw new ValidationError('state file version', version, `${STATE_VERSION} (this build reads version ${STATE_VERSION} only)`);
  }
  const headerLength = dv.getUint32(12, true);
  if (16 + headerLength > bytes.length) bad('a complete file (header truncated)');
  let header: {
    format: unknown; version: unknown; config: LayerConfig; globalStep: number; counters: Counters; sections: Section[];
  };
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(16, 16 + headerLength)), reviver);
  } catch {
    return bad('a valid JSON header');
  }
  if (header.format !== STATE_FORMAT) bad(`format "${STATE_FORMAT}"`);
  const dataStart = Math.ceil((16 + headerLength) / 8) * 8;
  const s: Record<string, unknown> = {
    format: STATE_FORMAT,
    version,
    config: header.config,
    globalStep: header.globalStep,
    counters: header.counters,
    weights: null,
    weightLevels: null,
  };
  if (!Array.isArray(header.sections)) bad('a section list in the header');
  for (const sec of header.sections) {
    const ctor = CTORS[sec.type];
    if (!ctor || !(SECTION_NAMES as readonly string[]).includes(sec.name) || !Number.isInteger(sec.length) || sec.length < 0) {
      bad(`known sections (got ${JSON.stringify(sec)})`);
    }
    const begin = dataStart + sec.offset;
    const end = begin + sec.length * ctor.BYTES_PER_ELEMENT;
    if (!Number.isInteger(sec.offset) || sec.offset < 0 || end > bytes.length) bad(`a complete file (section ${sec.name} truncated)`);
    const copy = new ctor(sec.length);
    new Uint8Array(copy.buffer).set(bytes.subarray(begin, end));
    s[sec.name] = copy;
  }
  return s as unknown as LayerState;
}

/** Throws ValidationError unless state `s` can be loaded into a layer configured as `c`. */
export function checkStateFits(s: LayerState, c: ResolvedConfig): void {
  const field = (name: string): string => `state.${name}`;
  if (s === null || typeof s !== 'object') throw new ValidationError('state', s, 'a LayerState object');
  if (s.format !== STATE_FORMAT) throw new ValidationError(field('format'), s.format, `"${STATE_FORMAT}"`);
  if (s.version !== STATE_VERSION) throw new ValidationError(field('version'), s.version, String(STATE_VERSION));
  const sc = s.config;
  if (!sc || typeof sc !== 'object') throw new ValidationError(field('config'), sc, 'the configuration of the saved layer');
  if (sc.nIn !== c.nIn) throw new ValidationError(field('config.nIn'), sc.nIn, `${c.nIn} (this layer's nIn)`);
  if (sc.nOut !== c.nOut) throw new ValidationError(field('config.nOut'), sc.nOut, `${c.nOut} (this layer's nOut)`);
  if (sc.weights?.format !== c.weights.format) {
    throw new ValidationError(field('config.weights.format'), sc.weights?.format, `"${c.weights.format}" (this layer's format)`);
  }
  if (c.weights.format === 'fixed' && sc.weights.bits !== c.weights.bits) {
    throw new ValidationError(field('config.weights.bits'), sc.weights.bits, `${c.weights.bits} (this layer's bits)`);
  }
  const len = (name: keyof LayerState, n: number, ctor: Function): ArrayLike<number> => {
    const a = s[name] as unknown;
    if (!(a instanceof ctor) || (a as ArrayLike<number>).length !== n) {
      throw new ValidationError(field(name), a, `${ctor.name} of length ${n}`);
    }
    return a as ArrayLike<number>;
  };
  const n = c.nIn * c.nOut;
  if (c.weights.format === 'f32') {
    const w = len('weights', n, Float32Array);
    for (let k = 0; k < n; k++) {
      if (!(w[k] >= 0 && w[k] <= Math.fround(c.weights.wMax))) throw new ValidationError(field(`weights[${k}]`), w[k], `a number in [0, ${c.weights.wMax}]`);
    }
  } else {
    const q = len('weightLevels', n, Uint8Array);
    const qMax = 2 ** c.weights.bits - 1;
    for (let k = 0; k < n; k++) if (q[k] > qMax) throw new ValidationError(field(`weightLevels[${k}]`), q[k], `a level in [0, ${qMax}]`);
  }
  const finite = (name: keyof LayerState, length: number, min = -Infinity): void => {
    const a = len(name, length, Float32Array);
    for (let k = 0; k < length; k++) {
      if (!Number.isFinite(a[k]) || a[k] < min) throw new ValidationError(field(`${name}[${k}]`), a[k], `a finite number >= ${min}`);
    }
  };
  finite('theta', c.nOut);
  finite('membrane', c.nOut);
  finite('synapticCurrent', c.nOut);
  finite('preTrace', c.nIn, 0);
  finite('postTrace', c.nOut, 0);
  len('preTraceStep', c.nIn, Uint32Array);
  len('postTraceStep', c.nOut, Uint32Array);
  len('dirtyColumns', c.nOut, Uint8Array);
  const r = len('refractory', c.nOut, Int32Array);
  for (let j = 0; j < c.nOut; j++) {
    if (r[j] < 0 || r[j] > c.neuron.refractorySteps) {
      throw new ValidationError(field(`refractory[${j}]`), r[j], `an integer in [0, ${c.neuron.refractorySteps}]`);
    }
  }
  if (!Number.isInteger(s.globalStep) || s.globalStep < 0 || s.globalStep >= 2 ** 32) {
    throw new ValidationError(field('globalStep'), s.globalStep, 'an integer in [0, 2^32)');
  }
  for (const name of COUNTER_NAMES) {
    const v = s.counters?.[name];
    if (!Number.isInteger(v) || v < 0) throw new ValidationError(field(`counters.${name}`), v, 'an integer >= 0');
  }
}
