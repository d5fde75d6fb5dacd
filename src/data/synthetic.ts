import { ValidationError, requireFinite, requireInteger } from '../errors.js';
import { validateDataset, type Dataset, type Split } from './dataset.js';
import { Rng, deriveSeed } from './random.js';

export const SYNTHETIC_KINDS = ['prototypes', 'bars'] as const;
export type SyntheticKind = (typeof SYNTHETIC_KINDS)[number];

/** Parameters of the synthetic datasets (every field has a default). */
export interface SyntheticParams {
  /** Number of classes. Default 10. */
  classes: number;
  /** Image side in pixels (square images). Default 28. */
  size: number;
  /** Channels (the same pattern in every channel). Default 1. */
  channels: number;
  /** Images in the train split. Default 1000. */
  train: number;
  /** Images in the test split. Default 200. */
  test: number;
  /** Standard deviation of the additive Gaussian pixel noise, in intensity units (1 = full scale). Default 0.15. */
  noise: number;
  /** Maximum random shift of the pattern in pixels (uniform in [-shift, shift] per axis). Default 0. */
  shift: number;
  /** Seed of the prototypes and of the samples. Default 1. */
  seed: number;
}

export const SYNTHETIC_DEFAULTS: SyntheticParams = { classes: 10, size: 28, channels: 1, train: 1000, test: 200, noise: 0.15, shift: 0, seed: 1 };

/**
 * Seeded synthetic datasets with known classes, for tests and quick experiments.
 * - `prototypes`: each class has a prototype image made of 3 Gaussian blobs at random places
 *   (the prototypes depend only on seed, classes, size and channels); a sample is its class's
 *   prototype times an intensity factor uniform in [0.8, 1.2], shifted by up to `shift` pixels, plus
 *   Gaussian noise, clipped to [0, 1] and stored as uint8.
 * - `bars`: class c is one bar, horizontal for the first ceil(classes/2) classes and vertical for
 *   the rest, at evenly spaced positions; the same intensity factor, shift and noise apply.
 * Train and test draw different samples of the same classes. Labels are balanced (counts differ by
 * at most one) and in random order. The same parameters always give the same bytes.
 */
export function makeSynthetic(kind: SyntheticKind, split: Split, params: Partial<SyntheticParams> = {}, spec?: string): Dataset {
  const p = validateSyntheticParams({ ...SYNTHETIC_DEFAULTS, ...params });
  const { classes, size, channels, noise, shift } = p;
  const count = p[split];
  const patterns = kind === 'prototypes' ? prototypePatterns(p) : barPatterns(p);
  const rng = new Rng(deriveSeed(p.seed, 'synthetic', kind, split));
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) labels[i] = i % classes;
  rng.shuffle(labels);
  const pixels = size * size;
  const images = new Uint8Array(count * pixels * channels);
  for (let i = 0; i < count; i++) {
    const pattern = patterns[labels[i]!]!;
    const gain = 0.8 + 0.4 * rng.nextFloat();
    const dy = shift > 0 ? rng.nextInt(2 * shift + 1) - shift : 0;
    const dx = shift > 0 ? rng.nextInt(2 * shift + 1) - shift : 0;
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const sy = y - dy;
        const sx = x - dx;
        const base = sy >= 0 && sy < size && sx >= 0 && sx < size ? pattern[sy * size + sx]! : 0;
        for (let c = 0; c < channels; c++) {
          const v = base * gain + noise * rng.nextNormal();
          images[((i * size + y) * size + x) * channels + c] = Math.round(255 * Math.min(1, Math.max(0, v)));
        }
      }
    }
  }
  return validateDataset({
    name: `synthetic-${kind}`,
    spec: spec ?? `synthetic-${kind}`,
    split,
    images,
    shape: { count, height: size, width: size, channels },
    labels,
    classNames: Array.from({ length: classes }, (_, c) => (kind === 'bars' ? barName(c, classes) : `prototype ${c}`)),
    source: `generated: ${JSON.stringify(p)}`,
  });
}

export function validateSyntheticParams(p: SyntheticParams): SyntheticParams {
  requireInteger('synthetic classes', p.classes, 2, 255);
  requireInteger('synthetic size', p.size, 2, 1024);
  requireInteger('synthetic channels', p.channels, 1, 4);
  requireInteger('synthetic train', p.train, 0, 10_000_000);
  requireInteger('synthetic test', p.test, 0, 10_000_000);
  requireFinite('synthetic noise', p.noise, 0, 10);
  requireInteger('synthetic shift', p.shift, 0, Math.floor(p.size / 2));
  if (!Number.isSafeInteger(p.seed)) throw new ValidationError('synthetic seed', p.seed, 'a safe integer');
  return p;
}

/** Parses "classes=5,size=16,noise=0.1" into parameters (unknown keys rejected). */
export function parseSyntheticParams(text: string): Partial<SyntheticParams> {
  const out: Partial<SyntheticParams> = {};
  if (text.trim() === '') return out;
  const keys = Object.keys(SYNTHETIC_DEFAULTS) as (keyof SyntheticParams)[];
  for (const part of text.split(',')) {
    const [key, value, extra] = part.split('=');
    if (!key || value === undefined || extra !== undefined || !(keys as string[]).includes(key.trim())) {
      throw new ValidationError('synthetic dataset parameter', part, `key=value with key one of ${keys.join(', ')}`);
    }
    const num = Number(value);
    if (value.trim() === '' || !Number.isFinite(num)) throw new ValidationError(`synthetic ${key}`, value, 'a number');
    out[key.trim() as keyof SyntheticParams] = num;
  }
  return out;
}

function prototypePatterns(p: SyntheticParams): Float32Array[] {
  const rng = new Rng(deriveSeed(p.seed, 'synthetic-prototypes', p.classes, p.size));
  const { size } = p;
  return Array.from({ length: p.classes }, () => {
    const img = new Float32Array(size * size);
    for (let b = 0; b < 3; b++) {
      const cy = size * (0.15 + 0.7 * rng.nextFloat());
      const cx = size * (0.15 + 0.7 * rng.nextFloat());
      const sigma = size * (0.06 + 0.08 * rng.nextFloat());
      for (let y = 0; y < size; y++) {
        for (let x = 0; x < size; x++) {
          const d2 = (y + 0.5 - cy) ** 2 + (x + 0.5 - cx) ** 2;
          img[y * size + x] = Math.max(img[y * size + x]!, Math.exp(-d2 / (2 * sigma * sigma)));
        }
      }
    }
    return img;
  });
}

function barPatterns(p: SyntheticParams): Float32Array[] {
  const { size, classes } = p;
  const nh = Math.ceil(classes / 2);
  const nv = classes - nh;
  const thickness = Math.max(1, Math.floor(size / (2 * nh)));
  return Array.from({ length: classes }, (_, c) => {
    const img = new Float32Array(size * size);
    const horizontal = c < nh;
    const n = horizontal ? nh : nv;
    const i = horizontal ? c : c - nh;
    const start = Math.min(size - thickness, Math.max(0, Math.round(((i + 0.5) * size) / n - thickness / 2)));
    for (let t = start; t < start + thickness; t++) {
      for (let k = 0; k < size; k++) img[horizontal ? t * size + k : k * size + t] = 1;
    }
    return img;
  });
}

function barName(c: number, classes: number): string {
  const nh = Math.ceil(classes / 2);
  return c < nh ? `horizontal bar ${c}` : `vertical bar ${c - nh}`;
}
