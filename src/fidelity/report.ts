/**
 * Files of a fidelity sweep: fidelity.json (everything), fidelity.csv (one row per point),
 * fidelity-summary.csv (means over seeds), histograms.csv (applied-change histograms) and PNG
 * plots against the bit width (one line per rounding mode and device, float as a reference line).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeJsonAtomic } from '../report/atomic.js';
import { lineChartSpec, meanAndSpread, writeChart, type LinePoint } from '../report/charts.js';
import { writeCsvAtomic, type CsvRow } from '../report/csv.js';
import { writeWeightGrid } from '../report/images.js';
import type { FidelityResults, PointRecord, PostTrainingRecord } from './results.js';

export const JSON_FILE = 'fidelity.json';
export const CSV_FILE = 'fidelity.csv';
export const SUMMARY_CSV_FILE = 'fidelity-summary.csv';
export const HISTOGRAMS_CSV_FILE = 'histograms.csv';
export const POST_TRAINING_CSV_FILE = 'post-training.csv';
/** Series name of the post-training baseline in the plots. */
export const POST_TRAINING_SERIES = 'post-training / nearest';

/** One flat CSV row per point. */
export function pointCsvRow(r: PointRecord): CsvRow {
  const row: CsvRow = {
    id: r.id,
    seed: r.seed,
    bits: r.bits === 0 ? 'float' : r.bits,
    rounding: r.rounding ?? '',
    device: r.device,
    accuracy: r.accuracy,
    accuracyDelta: r.accuracyDelta,
    nmi: r.nmi,
    nmiDelta: r.nmiDelta,
    prototypeCosine: r.prototypeCosine,
    winnerAgreement: r.probe?.winnerAgreement ?? null,
    countCorrelation: r.probe?.countCorrelation ?? null,
    lostFraction: r.lostFraction,
    stdpAttempts: r.stdpUpdates.attempts,
    stdpLost: r.stdpUpdates.lost,
    stdpSaturated: r.stdpUpdates.saturated,
    stdpWrites: r.stdpUpdates.writes,
    normalisationWrites: r.normalisationUpdates.writes,
    weightWrites: r.trainCounters.weightWrites,
    pulses: r.bits === 0 ? null : r.stdpUpdates.pulses + r.normalisationUpdates.pulses,
    dead: r.dead,
    silentNeurons: r.silentNeurons,
    silentTestSamples: r.silentTestSamples,
    trainSpikesPerSample: r.train.samples > 0 ? r.train.spikes / r.train.samples : 0,
    trainSeconds: r.train.seconds,
    wallSeconds: r.wallSeconds,
  };
  for (const e of r.energy) {
    row[`writeEnergyPj:${e.model}`] = e.writeEnergyPj;
    row[`learningEnergyPj:${e.model}`] = e.learningEnergyPj;
  }
  return row;
}

/** One row per float reference and bit width of the post-training baseline. */
function postTrainingRows(points: PointRecord[]): CsvRow[] {
  return points.filter((r) => r.bits === 0).flatMap((r) => r.postTraining.map((q) => ({ seed: r.seed, ...q })));
}

function histogramRows(points: PointRecord[]): CsvRow[] {
  const rows: CsvRow[] = [];
  for (const r of points) {
    const h = r.histogram;
    for (const phase of ['stdp', 'normalisation'] as const) {
      const counts = h[phase];
      counts.forEach((count, b) => {
        const k = b - h.half - 1;
        const bin = k < -h.half ? `<${-h.half}` : k > h.half ? `>${h.half}` : String(k);
        rows.push({ id: r.id, phase, bin, binWidth: h.unit, count });
      });
    }
  }
  return rows;
}

function seriesName(r: { rounding: string | null; device: string }): string {
  return `${r.rounding} / ${r.device}`;
}

/** Mean (with a band of ± one standard deviation over seeds) of `value` per rounding/device line. */
function curve(
  points: PointRecord[], value: (r: PointRecord) => number | null, postTraining?: (q: PostTrainingRecord) => number,
): { lines: LinePoint[]; float: number | null } {
  const rows = points
    .filter((r) => r.bits > 0)
    .map((r) => ({ x: r.bits, y: value(r), series: seriesName(r) }))
    .concat(postTraining ? points.filter((r) => r.bits === 0).flatMap((r) => r.postTraining.map((q) => ({ x: q.bits, y: postTraining(q), series: POST_TRAINING_SERIES }))) : [])
    .filter((r): r is { x: number; y: number; series: string } => r.y !== null && Number.isFinite(r.y));
  const floats = points.filter((r) => r.bits === 0).map(value).filter((v): v is number => v !== null && Number.isFinite(v));
  return { lines: meanAndSpread(rows), float: floats.length ? floats.reduce((a, b) => a + b, 0) / floats.length : null };
}

/** Integer ticks on the bits axis (the chart helper's default would add half bits). */
function bitsAxis(spec: ReturnType<typeof lineChartSpec>, bits: number[]): ReturnType<typeof lineChartSpec> {
  const s = spec as unknown as { layer: { encoding?: { x?: Record<string, unknown> } }[] };
  for (const layer of s.layer) if (layer.encoding?.x) layer.encoding.x.axis = { values: bits, format: 'd' };
  return spec;
}

interface ChartDef {
  file: string;
  title: string;
  y: string;
  value: (r: PointRecord) => number | null;
  floatLabel: string;
  domain?: [number, number];
  /** The post-training baseline's value, drawn as one more line. */
  postTraining?: (q: PostTrainingRecord) => number;
}

/**
 * Writes the plots; returns their file names (relative to `out`). Every metric gets one chart with a
 * line per rounding / device; accuracy also gets one chart per device (a line per rounding mode).
 */
export async function writeFidelityPlots(out: string, results: FidelityResults): Promise<string[]> {
  const files: string[] = [];
  const seeds = results.grid.seeds.length;
  const spread = seeds > 1 ? ` (mean ± sd over ${seeds} seeds)` : '';
  const w = results.workload;
  const charts: ChartDef[] = [
    { file: 'accuracy-vs-bits.png', title: `Accuracy vs weight bits: ${w.name}${spread}`, y: 'test accuracy', value: (r) => r.accuracy, floatLabel: 'float32', domain: [0, 1], postTraining: (q) => q.accuracy },
    { file: 'nmi-vs-bits.png', title: `NMI (winning neuron vs label) vs weight bits${spread}`, y: 'NMI', value: (r) => r.nmi, floatLabel: 'float32', domain: [0, 1], postTraining: (q) => q.nmi },
    { file: 'prototype-cosine-vs-bits.png', title: `Prototype similarity to float (matched cosine)${spread}`, y: 'mean cosine', value: (r) => r.prototypeCosine, floatLabel: '', domain: [0, 1] },
    { file: 'lost-updates-vs-bits.png', title: `STDP updates lost to rounding${spread}`, y: 'fraction of STDP updates', value: (r) => r.lostFraction, floatLabel: 'float32', domain: [0, 1] },
  ];
  const write = async (c: ChartDef, points: PointRecord[]) => {
    const { lines, float } = curve(points, c.value, c.postTraining);
    if (lines.length === 0) return;
    const spec = lineChartSpec({
      title: c.title,
      x: { title: 'weight bits', domain: [1, 8] },
      y: { title: c.y, ...(c.domain ? { domain: c.domain } : {}) },
      points: lines,
      ...(float !== null && c.floatLabel ? { reference: [{ value: float, label: `${c.floatLabel} ${float.toFixed(3)}` }] } : {}),
    });
    await writeChart(join(out, c.file), bitsAxis(spec, results.grid.bits));
    files.push(c.file);
  };
  for (const c of charts) await write(c, results.points);
  if (results.grid.device.length > 1) {
    for (const device of results.grid.device) {
      const points = results.points.filter((r) => r.bits === 0 || r.device === device);
      await write({ ...charts[0]!, file: `accuracy-vs-bits-${device}.png`, title: `Accuracy vs weight bits, ${device} device: ${w.name}${spread}` }, points);
    }
  }
  return files;
}

/** Weight grid of one point (receptive fields as images); returns the file name relative to `out`. */
export function writePointImage(out: string, id: string, weights: Float32Array, results: Pick<FidelityResults, 'workload'>, field: { width: number; height: number; channels: 1 | 3 }): string {
  const file = join('weights', `${id}.png`);
  mkdirSync(join(out, 'weights'), { recursive: true });
  writeWeightGrid(join(out, file), weights, {
    nIn: results.workload.nIn,
    nOut: results.workload.nOut,
    fieldWidth: field.width,
    fieldHeight: field.height,
    channels: field.channels,
  });
  return file;
}

/** Writes fidelity.json, the CSVs and the plots into `out`. */
export async function writeFidelityOutputs(out: string, results: FidelityResults): Promise<void> {
  mkdirSync(out, { recursive: true });
  results.files.plots = await writeFidelityPlots(out, results);
  writeCsvAtomic(join(out, CSV_FILE), results.points.map(pointCsvRow));
  writeCsvAtomic(join(out, SUMMARY_CSV_FILE), results.summary.map((s) => ({ ...s, bits: s.bits === 0 ? 'float' : s.bits, rounding: s.rounding ?? '' })));
  writeCsvAtomic(join(out, HISTOGRAMS_CSV_FILE), histogramRows(results.points));
  if (results.postTrainingBits.length) writeCsvAtomic(join(out, POST_TRAINING_CSV_FILE), postTrainingRows(results.points));
  writeJsonAtomic(join(out, JSON_FILE), results);
}
