import { join } from 'node:path';
import { barChart, lineChartSpec, meanAndSpread, writeChart, type ChartSpec, type LineChartInput, type LinePoint } from '../report/charts.js';
import { writeCsvAtomic, type CsvRow } from '../report/csv.js';
import { writeImageGrid, type GridImage } from '../report/images.js';
import { formatTable } from '../report/table.js';
import { formatDuration } from '../report/progress.js';
import { Rng, deriveSeed } from '../data/random.js';
import { COMPARISON_METRICS, compareMethods, stat, PRIMARY_METRIC, type Comparison, type ComparisonMetric, type Stat } from './analysis.js';
import type { TrainData } from './data.js';
import type { Method } from './options.js';
import type { EpochRecord } from './records.js';

/** What the report needs of one finished run. */
export interface RunOutcome {
  method: Method;
  seed: number;
  records: EpochRecord[];
  finalAssignments: Int32Array;
}

const LABEL: Record<Method, string> = { stdp: 'Deep-STDP (STDP-WTA)', kmeans: 'DeepCluster (k-means)' };
const SERIES: Record<Method, string> = { stdp: 'Deep-STDP', kmeans: 'k-means (DeepCluster)' };

/** Epochs are whole numbers: integer ticks on every x axis of the spec. */
function integerEpochs(spec: ChartSpec): ChartSpec {
  const walk = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    const n = node as Record<string, unknown>;
    const enc = n.encoding as Record<string, Record<string, unknown>> | undefined;
    if (enc?.x && enc.x.field === 'x') enc.x.axis = { tickMinStep: 1, format: 'd' };
    if (Array.isArray(n.layer)) n.layer.forEach(walk);
  };
  walk(spec);
  return spec;
}

function epochChart(path: string, input: LineChartInput): Promise<unknown> {
  return writeChart(path, integerEpochs(lineChartSpec(input)));
}

/** One flat row per (method, seed, epoch) for metrics.csv. */
export function csvRows(runs: RunOutcome[]): CsvRow[] {
  const rows: CsvRow[] = [];
  for (const run of runs) {
    for (const r of run.records) {
      const row: CsvRow = {
        method: r.method,
        seed: r.seed,
        epoch: r.epoch,
        k: r.k,
        pseudo_label_accuracy: r.clusterTrain.accuracy,
        pseudo_label_nmi: r.clusterTrain.nmi,
        pseudo_label_ari: r.clusterTrain.ari,
        accuracy_method: r.clusterTrain.accuracyMethod,
        heldout_cluster_accuracy: r.clusterTest.accuracy,
        heldout_cluster_nmi: r.clusterTest.nmi,
        heldout_cluster_ari: r.clusterTest.ari,
        heldout_head_accuracy: r.headTest.accuracy,
        heldout_head_nmi: r.headTest.nmi,
        heldout_head_ari: r.headTest.ari,
        nmi_previous_epoch: r.nmiPrevious,
        train_loss: r.trainLoss,
        fisher_trace: r.fisherTrace,
        non_empty_clusters: r.nonEmptyClusters,
        min_cluster_size: Math.min(...r.clusterSizes),
        max_cluster_size: Math.max(...r.clusterSizes),
        reseeded: r.stdp?.reseeded ?? r.kmeans?.reseeded ?? 0,
        pca_explained_variance: r.pcaExplainedVariance,
        stdp_spikes_per_sample: r.stdp?.spikesPerSample ?? null,
        stdp_learn_presentations_per_sample: r.stdp?.learnPresentationsPerSample ?? null,
        stdp_fallback_samples: r.stdp?.fallbackSamples ?? null,
        stdp_synaptic_events: r.stdp?.counters.synapticEvents ?? null,
        stdp_output_spikes: r.stdp?.counters.outputSpikes ?? null,
        stdp_weight_writes: r.stdp?.counters.weightWrites ?? null,
        seconds_features: r.seconds.features,
        seconds_preprocess: r.seconds.preprocess,
        seconds_cluster: r.seconds.cluster,
        seconds_cluster_heldout: r.seconds.clusterTest,
        seconds_train: r.seconds.train,
        seconds_evaluate: r.seconds.evaluate,
        seconds_fisher: r.seconds.fisher,
        seconds_checkpoint: r.seconds.checkpoint,
        seconds_epoch: r.seconds.total,
        seconds_cumulative: r.cumulativeSeconds,
      };
      for (const e of r.energy ?? []) row[`energy_j_${e.model}`] = e.energyJ;
      rows.push(row);
    }
  }
  return rows;
}

/** Per method: the last epoch's metrics over seeds, and mean wall time per epoch. */
export interface MethodSummary {
  method: Method;
  seeds: number[];
  epochs: number;
  final: Record<ComparisonMetric, Stat> & { fisherTrace: Stat };
  best: Record<ComparisonMetric, Stat>;
  secondsPerEpoch: Stat;
  /** STDP only: energy of one epoch's clustering per hardware model (mean over seeds and epochs), joules. */
  energyPerEpochJ: Record<string, Stat> | null;
}

export function summarizeMethods(runs: RunOutcome[]): MethodSummary[] {
  const methods = [...new Set(runs.map((r) => r.method))];
  return methods.map((method) => {
    const mine = runs.filter((r) => r.method === method && r.records.length > 0);
    const last = mine.map((r) => r.records.at(-1)!);
    const final = {} as MethodSummary['final'];
    const best = {} as MethodSummary['best'];
    for (const [name, get] of Object.entries(COMPARISON_METRICS) as [ComparisonMetric, (r: EpochRecord) => number][]) {
      final[name] = stat(last.map(get));
      best[name] = stat(mine.map((r) => Math.max(...r.records.map(get))));
    }
    final.fisherTrace = stat(last.map((r) => r.fisherTrace).filter((v): v is number => v !== null));
    const all = mine.flatMap((r) => r.records);
    let energyPerEpochJ: MethodSummary['energyPerEpochJ'] = null;
    if (all.some((r) => r.energy && r.energy.length > 0)) {
      energyPerEpochJ = {};
      const models = [...new Set(all.flatMap((r) => (r.energy ?? []).map((e) => e.model)))];
      for (const m of models) energyPerEpochJ[m] = stat(all.flatMap((r) => (r.energy ?? []).filter((e) => e.model === m).map((e) => e.energyJ)));
    }
    return {
      method,
      seeds: mine.map((r) => r.seed),
      epochs: Math.min(...mine.map((r) => r.records.length)),
      final,
      best,
      secondsPerEpoch: stat(all.map((r) => r.seconds.total)),
      energyPerEpochJ,
    };
  });
}

export function comparisons(runs: RunOutcome[]): Comparison[] {
  return (Object.keys(COMPARISON_METRICS) as ComparisonMetric[])
    .map((m) => compareMethods(runs, m))
    .filter((c): c is Comparison => c !== null);
}

const pct = (x: number) => `${(100 * x).toFixed(1)}`;
const pm = (s: Stat, f: (x: number) => string) => (s.n > 1 ? `${f(s.mean)} ± ${f(s.std)}` : f(s.mean));

/** The summary printed at the end of a run. */
export function summaryText(summaries: MethodSummary[], comps: Comparison[]): string {
  const rows = summaries.map((s) => ({
    method: LABEL[s.method],
    seeds: s.seeds.length,
    epochs: s.epochs,
    acc: pm(s.final[PRIMARY_METRIC], pct),
    nmi: pm(s.final['pseudo-label NMI (train)'], (x) => x.toFixed(3)),
    best: pm(s.best[PRIMARY_METRIC], pct),
    cluster: pm(s.final['cluster accuracy (held-out)'], pct),
    head: pm(s.final['head accuracy (held-out)'], pct),
    sec: pm(s.secondsPerEpoch, (x) => x.toFixed(1)),
  }));
  const lines = [
    formatTable(
      [
        { header: 'method', value: 'method' },
        { header: 'seeds', value: 'seeds' },
        { header: 'epochs', value: 'epochs' },
        { header: 'pseudo-label acc', unit: '%', value: 'acc', align: 'right' },
        { header: 'NMI', value: 'nmi', align: 'right' },
        { header: 'best acc', unit: '%', value: 'best', align: 'right' },
        { header: 'held-out cluster acc', unit: '%', value: 'cluster', align: 'right' },
        { header: 'held-out head acc', unit: '%', value: 'head', align: 'right' },
        { header: 'time/epoch', unit: 's', value: 'sec', align: 'right' },
      ],
      rows,
    ).trimEnd(),
  ];
  for (const c of comps) {
    const iso = c.mean.isoAccuracy;
    const gap = c.mean.gap;
    if (!iso || !gap) continue;
    const isNmi = c.metric.includes('NMI');
    const value = (x: number) => (isNmi ? x.toFixed(3) : `${pct(x)}%`);
    const diff = (x: number) => (isNmi ? x.toFixed(3) : `${(100 * x).toFixed(1)} points`);
    const speed = iso.epochSpeedup === null
      ? `Deep-STDP does not reach k-means' best ${value(iso.target)} (k-means epoch ${iso.kmeansEpochs}) within the run`
      : `iso-level ${value(iso.target)}: k-means epoch ${iso.kmeansEpochs}, Deep-STDP epoch ${iso.stdpEpochs} -> ${iso.epochSpeedup.toFixed(2)}x epochs, ${iso.wallTimeSpeedup === null ? '-' : iso.wallTimeSpeedup.toFixed(2)}x wall time`;
    lines.push(`${c.metric}: ${speed}; gap (Deep-STDP - k-means) mean ${diff(gap.mean)}, final ${diff(gap.final)}`);
  }
  const energy = summaries.find((s) => s.energyPerEpochJ !== null)?.energyPerEpochJ;
  if (energy) {
    lines.push(`STDP clustering energy per epoch: ${Object.entries(energy).map(([m, s]) => `${m} ${formatJoules(s.mean)}`).join(', ')}`);
  }
  return lines.join('\n');
}

export function formatJoules(j: number): string {
  if (!Number.isFinite(j)) return '-';
  const units: [number, string][] = [[1, 'J'], [1e-3, 'mJ'], [1e-6, 'uJ'], [1e-9, 'nJ'], [1e-12, 'pJ']];
  for (const [scale, unit] of units) if (Math.abs(j) >= scale) return `${(j / scale).toPrecision(3)} ${unit}`;
  return `${(j / 1e-12).toPrecision(3)} pJ`;
}

function curvePoints(runs: RunOutcome[], get: (r: EpochRecord) => number | null): LinePoint[] {
  const rows: { x: number; y: number; series: string }[] = [];
  for (const run of runs) {
    for (const r of run.records) {
      const y = get(r);
      if (y !== null && Number.isFinite(y)) rows.push({ x: r.epoch, y, series: SERIES[run.method] });
    }
  }
  return meanAndSpread(rows, 'std');
}

/**
 * Writes the plots: accuracy.png, heldout-accuracy.png, nmi.png, fisher.png, cluster-sizes.png and clusters-<method>.png
 * (sample images of every cluster of the last epoch, first seed). Returns the file names written.
 */
export async function writePlots(out: string, runs: RunOutcome[], data: TrainData, seeds: number[]): Promise<string[]> {
  const files: string[] = [];
  const spread = seeds.length > 1 ? ` (mean ± std over ${seeds.length} seeds)` : '';
  const hungarian = runs[0]?.records[0]?.clusterTrain.accuracyMethod === 'hungarian';
  const accTitle = `accuracy (${hungarian ? 'Hungarian' : 'majority'} mapping)`;
  const chance = [{ value: 1 / data.classNames.length, label: 'chance' }];
  await epochChart(join(out, 'accuracy.png'), {
    title: `Pseudo-label accuracy on the training images vs epoch${spread}`,
    x: { title: 'epoch' },
    y: { title: accTitle, domain: [0, 1] },
    points: curvePoints(runs, (r) => r.clusterTrain.accuracy),
    reference: chance,
  });
  files.push('accuracy.png');
  await epochChart(join(out, 'heldout-accuracy.png'), {
    title: `Held-out accuracy of the ConvNet head after each epoch${spread}`,
    x: { title: 'epoch' },
    y: { title: accTitle, domain: [0, 1] },
    points: curvePoints(runs, (r) => r.headTest.accuracy),
    reference: chance,
  });
  files.push('heldout-accuracy.png');
  await epochChart(join(out, 'nmi.png'), {
    title: `NMI of the pseudo-labels with the true classes${spread}`,
    x: { title: 'epoch' },
    y: { title: 'NMI', domain: [0, 1] },
    points: curvePoints(runs, (r) => r.clusterTrain.nmi),
  });
  files.push('nmi.png');
  const fisher = curvePoints(runs, (r) => r.fisherTrace);
  if (fisher.length > 0) {
    const positive = fisher.every((p) => p.y > 0 && (p.lo === undefined || p.lo > 0));
    await epochChart(join(out, 'fisher.png'), {
      title: `Fisher information trace of the ConvNet (pseudo-labels, probe images)${spread}`,
      x: { title: 'epoch' },
      y: { title: 'tr F (empirical)', ...(positive ? { log: true } : {}) },
      points: fisher,
    });
    files.push('fisher.png');
  }
  const firstSeed = seeds[0]!;
  const last = runs.filter((r) => r.seed === firstSeed && r.records.length > 0);
  if (last.length > 0) {
    const rows = last.flatMap((run) => {
      const sizes = [...run.records.at(-1)!.clusterSizes].sort((a, b) => b - a);
      return sizes.map((size, rank) => ({ category: `#${rank + 1}`, series: SERIES[run.method], value: size }));
    });
    await barChart(join(out, 'cluster-sizes.png'), {
      title: `Cluster sizes at the last epoch (seed ${firstSeed}), largest first`,
      rows,
      valueTitle: 'training images in the cluster',
      categoryTitle: 'cluster (by size)',
      log: false,
      horizontal: false,
    });
    files.push('cluster-sizes.png');
    for (const run of last) {
      const name = `clusters-${run.method}.png`;
      writeClusterGrid(join(out, name), run, data, 10);
      files.push(name);
    }
  }
  return files;
}

/** Sample images of every cluster (one row per cluster, with its size and majority class). */
export function writeClusterGrid(path: string, run: RunOutcome, data: TrainData, perCluster: number): void {
  const record = run.records.at(-1)!;
  const k = record.k;
  const [h, w, c] = data.train.shape;
  const size = h * w * c;
  const members: number[][] = Array.from({ length: k }, () => []);
  run.finalAssignments.forEach((a, i) => members[a]!.push(i));
  const rng = new Rng(deriveSeed(run.seed, 'cluster-grid'));
  const rows: GridImage[][] = [];
  const labels: string[] = [];
  for (let j = 0; j < k; j++) {
    const list = members[j]!;
    const counts = new Array<number>(data.classNames.length).fill(0);
    for (const i of list) counts[data.train.labels[i]!]! += 1;
    const major = counts.indexOf(Math.max(...counts));
    labels.push(list.length > 0 ? `${j}: n=${list.length}, ${data.classNames[major]} ${Math.round((100 * counts[major]!) / list.length)}%` : `${j}: empty`);
    const pick = list.length <= perCluster ? list.map((_, i) => i) : Array.from(rng.sampleWithoutReplacement(list.length, perCluster)).sort((a, b) => a - b);
    const row = pick.map((p) => {
      const i = list[p]!;
      return { pixels: data.train.pixels.subarray(i * size, (i + 1) * size), width: w, height: h, channels: (c === 3 ? 3 : 1) as 1 | 3 };
    });
    rows.push(row.length > 0 ? row : [{ pixels: new Uint8Array(size).fill(255), width: w, height: h, channels: (c === 3 ? 3 : 1) as 1 | 3 }]);
  }
  writeImageGrid(path, rows, {
    scale: h <= 32 ? 2 : 1,
    rowLabels: labels,
    title: `${LABEL[run.method]}: clusters of the last epoch (epoch ${record.epoch}, seed ${run.seed})`,
  });
}

/** Human-readable one-liner of the wall time of a run. */
export function wallTimeLine(seconds: number, runs: number, jobs: number): string {
  return `${runs} run(s) in ${formatDuration(seconds)} (${jobs} in parallel)`;
}
