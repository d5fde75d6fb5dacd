/**
 * `deep-stdp fidelity merge a.json b.json ...`: joins the slices of a sharded sweep into one result,
 * as if the sweep had run at once. Slices must come from the same sweep (workload, grid, device
 * parameters); together they must hold every point; a float reference run by several slices must
 * agree in every measured value.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ValidationError } from '../errors.js';
import { runInfo } from '../report/run-info.js';
import { CSV_FILE, HISTOGRAMS_CSV_FILE, JSON_FILE, POST_TRAINING_CSV_FILE, SUMMARY_CSV_FILE, writeFidelityOutputs } from './report.js';
import { FIDELITY_KIND, FIDELITY_VERSION, sortRecords, summarise, summarisePostTraining, type FidelityResults, type PointRecord } from './results.js';
import { expandSweep } from './sweep.js';

/** Fields that differ between runs of the same point only through timing or the machine. */
const TIMING_KEYS = new Set(['seconds', 'wallSeconds', 'backend']);

/** JSON of a record without its timing fields (what must agree between duplicate runs). */
export function measuredPart(r: PointRecord): string {
  return JSON.stringify(r, (key, value) => (TIMING_KEYS.has(key) ? undefined : value));
}

export function readFidelityFile(path: string): FidelityResults {
  let doc: FidelityResults;
  try {
    doc = JSON.parse(readFileSync(path, 'utf8')) as FidelityResults;
  } catch (err) {
    throw new ValidationError('fidelity file', path, `a readable fidelity.json (${(err as Error).message})`);
  }
  if (doc?.kind !== FIDELITY_KIND || doc.version !== FIDELITY_VERSION || !Array.isArray(doc.points)) {
    throw new ValidationError('fidelity file', path, `a ${FIDELITY_KIND} version ${FIDELITY_VERSION} result (fidelity.json)`);
  }
  return doc;
}

/** What must be equal across slices of one sweep. */
function sweepIdentity(r: FidelityResults): string {
  const { description: _d, ...workload } = r.workload;
  return JSON.stringify({ workload, grid: r.grid, deviceParameters: r.deviceParameters, energyModels: r.energyModels, postTrainingBits: r.postTrainingBits });
}

/** Merges slices (already read); `paths` name them in messages and locate their images. */
export function mergeResults(parts: FidelityResults[], paths: string[]): { results: FidelityResults; imageSources: Record<string, string> } {
  if (parts.length === 0) throw new ValidationError('merge inputs', 0, 'at least one fidelity.json');
  const identity = sweepIdentity(parts[0]!);
  parts.forEach((p, i) => {
    if (sweepIdentity(p) !== identity) {
      throw new ValidationError(`merge input ${paths[i]}`, 'a different sweep', `slices of the sweep in ${paths[0]} (same workload, grid and device parameters)`);
    }
  });
  const byId = new Map<string, PointRecord>();
  const imageSources: Record<string, string> = {};
  parts.forEach((p, i) => {
    for (const r of p.points) {
      const have = byId.get(r.id);
      if (have && measuredPart(have) !== measuredPart(r)) {
        throw new ValidationError(`point ${r.id} in ${paths[i]}`, 'a different result', `the result of the same point in another slice (runs are deterministic: same code, options and backend give the same numbers)`);
      }
      if (!have) byId.set(r.id, r);
      const img = p.files?.images?.[r.id];
      if (img && !imageSources[r.id]) imageSources[r.id] = join(dirname(resolve(paths[i]!)), img);
    }
  });
  const grid = parts[0]!.grid;
  const expected = expandSweep(grid).map((p) => p.id);
  const missing = expected.filter((id) => !byId.has(id));
  if (missing.length) {
    const shown = missing.slice(0, 12).join(', ') + (missing.length > 12 ? `, ... (${missing.length} in all)` : '');
    throw new ValidationError('merge inputs', `${parts.length} file(s)`, `slices covering the whole sweep; missing points: ${shown}`);
  }
  const extra = [...byId.keys()].filter((id) => !expected.includes(id));
  if (extra.length) throw new ValidationError('merge inputs', extra.join(', '), 'points of the sweep grid only');
  const points = sortRecords([...byId.values()], grid);
  const first = parts[0]!;
  const results: FidelityResults = {
    kind: FIDELITY_KIND,
    version: FIDELITY_VERSION,
    workload: first.workload,
    grid,
    shard: null,
    mergedFrom: paths.map((p) => resolve(p)),
    deviceParameters: first.deviceParameters,
    energyModels: first.energyModels,
    points,
    summary: summarise(points, grid),
    postTrainingBits: first.postTrainingBits,
    postTrainingSummary: summarisePostTraining(points, first.postTrainingBits),
    files: { json: JSON_FILE, csv: CSV_FILE, histogramsCsv: HISTOGRAMS_CSV_FILE, summaryCsv: SUMMARY_CSV_FILE, postTrainingCsv: first.postTrainingBits.length ? POST_TRAINING_CSV_FILE : null, plots: [], images: {} },
    wallSeconds: parts.reduce((s, p) => s + p.wallSeconds, 0),
    threads: Math.max(...parts.map((p) => p.threads)),
    runInfo: runInfo('deep-stdp fidelity merge', { inputs: paths }, grid.seeds),
  };
  return { results, imageSources };
}

/** Reads, merges and (with `out`) writes the merged sweep, copying the slices' weight images. */
export async function mergeFidelityFiles(paths: string[], out: string | null): Promise<FidelityResults> {
  const parts = paths.map(readFidelityFile);
  const { results, imageSources } = mergeResults(parts, paths);
  if (out !== null) {
    mkdirSync(join(out, 'weights'), { recursive: true });
    for (const [id, src] of Object.entries(imageSources)) {
      if (!existsSync(src)) continue;
      const file = join('weights', `${id}.png`);
      copyFileSync(src, join(out, file));
      results.files.images[id] = file;
    }
    await writeFidelityOutputs(out, results);
  }
  return results;
}
