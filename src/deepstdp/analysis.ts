import type { Method } from './options.js';
import type { EpochRecord } from './records.js';

/** Metrics the comparison can be computed on (paths into an EpochRecord). */
export const COMPARISON_METRICS = {
  'pseudo-label accuracy (train)': (r: EpochRecord) => r.clusterTrain.accuracy,
  'pseudo-label NMI (train)': (r: EpochRecord) => r.clusterTrain.nmi,
  'cluster accuracy (held-out)': (r: EpochRecord) => r.clusterTest.accuracy,
  'head accuracy (held-out)': (r: EpochRecord) => r.headTest.accuracy,
} as const;
export type ComparisonMetric = keyof typeof COMPARISON_METRICS;
export const PRIMARY_METRIC: ComparisonMetric = 'pseudo-label accuracy (train)';

/** One point of a learning curve. */
export interface CurvePoint {
  epoch: number;
  value: number;
  /** Wall time of the run from its start through this epoch, seconds. */
  seconds: number;
}

/**
 * Iso-accuracy convergence speed-up of Deep-STDP over k-means: the target is the best value k-means
 * reaches within the run; each method's cost is the first epoch at which it reaches the target (and the
 * run's wall time up to the end of that epoch). speedup = k-means epochs / Deep-STDP epochs, so a value
 * above 1 means Deep-STDP gets there sooner; null when Deep-STDP never reaches the target.
 */
export interface IsoAccuracy {
  metric: ComparisonMetric;
  target: number;
  kmeansEpochs: number;
  stdpEpochs: number | null;
  epochSpeedup: number | null;
  kmeansSeconds: number;
  stdpSeconds: number | null;
  wallTimeSpeedup: number | null;
}

export function isoAccuracy(metric: ComparisonMetric, kmeans: CurvePoint[], stdp: CurvePoint[]): IsoAccuracy | null {
  if (kmeans.length === 0 || stdp.length === 0) return null;
  let best = kmeans[0]!;
  for (const p of kmeans) if (p.value > best.value) best = p; // first epoch reaching the maximum
  const reach = stdp.find((p) => p.value >= best.value) ?? null;
  return {
    metric,
    target: best.value,
    kmeansEpochs: best.epoch,
    stdpEpochs: reach?.epoch ?? null,
    epochSpeedup: reach ? best.epoch / reach.epoch : null,
    kmeansSeconds: best.seconds,
    stdpSeconds: reach?.seconds ?? null,
    wallTimeSpeedup: reach && reach.seconds > 0 ? best.seconds / reach.seconds : null,
  };
}

/** Deep-STDP minus k-means at every epoch both reached. */
export interface Gap {
  metric: ComparisonMetric;
  perEpoch: { epoch: number; gap: number }[];
  mean: number;
  final: number;
}

export function gapAtEqualEpochs(metric: ComparisonMetric, kmeans: CurvePoint[], stdp: CurvePoint[]): Gap | null {
  const byEpoch = new Map(kmeans.map((p) => [p.epoch, p.value]));
  const perEpoch = stdp.filter((p) => byEpoch.has(p.epoch)).map((p) => ({ epoch: p.epoch, gap: p.value - byEpoch.get(p.epoch)! }));
  if (perEpoch.length === 0) return null;
  return { metric, perEpoch, mean: perEpoch.reduce((a, g) => a + g.gap, 0) / perEpoch.length, final: perEpoch.at(-1)!.gap };
}

/** A run's curve of one metric. */
export function curveOf(records: EpochRecord[], metric: ComparisonMetric): CurvePoint[] {
  const get = COMPARISON_METRICS[metric];
  return records.map((r) => ({ epoch: r.epoch, value: get(r), seconds: r.cumulativeSeconds }));
}

/** Mean curve over several runs (epochs present in every run only); seconds are averaged too. */
export function meanCurve(curves: CurvePoint[][]): CurvePoint[] {
  if (curves.length === 0) return [];
  const epochs = Math.min(...curves.map((c) => c.length));
  const out: CurvePoint[] = [];
  for (let i = 0; i < epochs; i++) {
    const pts = curves.map((c) => c[i]!);
    out.push({
      epoch: pts[0]!.epoch,
      value: pts.reduce((a, p) => a + p.value, 0) / pts.length,
      seconds: pts.reduce((a, p) => a + p.seconds, 0) / pts.length,
    });
  }
  return out;
}

export interface Stat {
  mean: number;
  std: number;
  min: number;
  max: number;
  n: number;
}

/** Mean, sample standard deviation, min and max. */
export function stat(values: number[]): Stat {
  const n = values.length;
  if (n === 0) return { mean: NaN, std: NaN, min: NaN, max: NaN, n: 0 };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const std = n > 1 ? Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1)) : 0;
  return { mean, std, min: Math.min(...values), max: Math.max(...values), n };
}

/** The comparison of the two methods: on the mean curves over seeds and seed by seed. */
export interface Comparison {
  metric: ComparisonMetric;
  mean: { isoAccuracy: IsoAccuracy | null; gap: Gap | null };
  perSeed: { seed: number; isoAccuracy: IsoAccuracy | null; gap: Gap | null }[];
}

export function compareMethods(runs: { method: Method; seed: number; records: EpochRecord[] }[], metric: ComparisonMetric): Comparison | null {
  const of = (m: Method) => runs.filter((r) => r.method === m).sort((a, b) => a.seed - b.seed);
  const km = of('kmeans');
  const st = of('stdp');
  if (km.length === 0 || st.length === 0) return null;
  const kmMean = meanCurve(km.map((r) => curveOf(r.records, metric)));
  const stMean = meanCurve(st.map((r) => curveOf(r.records, metric)));
  const perSeed = st
    .map((s) => ({ s, k: km.find((r) => r.seed === s.seed) }))
    .filter((p) => p.k !== undefined)
    .map(({ s, k }) => {
      const kc = curveOf(k!.records, metric);
      const sc = curveOf(s.records, metric);
      return { seed: s.seed, isoAccuracy: isoAccuracy(metric, kc, sc), gap: gapAtEqualEpochs(metric, kc, sc) };
    });
  return { metric, mean: { isoAccuracy: isoAccuracy(metric, kmMean, stMean), gap: gapAtEqualEpochs(metric, kmMean, stMean) }, perSeed };
}
