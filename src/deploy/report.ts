import { join } from 'node:path';
import { lineChart, stackedBarChart, type LinePoint, type StackedBarRow } from '../report/charts.js';
import { formatTable } from '../report/table.js';
import { formatCount, formatNs, formatPj } from '../hw/format.js';
import type { DeployResults, LayerSummary, Print } from './run.js';

/** Charts and text tables of a deployment study. */

function energyUnit(maxPj: number): [number, string] {
  return maxPj >= 1e6 ? [1e6, 'uJ'] : maxPj >= 1e3 ? [1e3, 'nJ'] : [1, 'pJ'];
}

/** accuracy-vs-timesteps.png, energy-per-inference.png (stacked by layer), energy-vs-timesteps.png. */
export async function writeDeployCharts(r: DeployResults, outDir: string): Promise<string[]> {
  const files: string[] = [];
  const steps = r.snn.timesteps.map((t) => t.timesteps);
  const tRange: [number, number] = [steps[0]!, Math.max(steps[0]! * 2, steps[steps.length - 1]!)];
  const points: LinePoint[] = [];
  // With reset by subtraction the two read-outs agree whenever no output membrane is negative;
  // one line is drawn when they agree at every T.
  const same = r.snn.timesteps.every((t) => t.accuracy.membrane === t.accuracy.spikes);
  for (const t of r.snn.timesteps) {
    if (same) {
      points.push({ x: t.timesteps, y: 100 * t.accuracy.membrane, series: 'SNN (membrane = spike-count read-out)' });
    } else {
      points.push({ x: t.timesteps, y: 100 * t.accuracy.membrane, series: 'SNN, membrane read-out' });
      points.push({ x: t.timesteps, y: 100 * t.accuracy.spikes, series: 'SNN, spike-count read-out' });
    }
  }
  const reference = [{ value: 100 * r.ann.accuracy, label: `ANN ${(100 * r.ann.accuracy).toFixed(2)}%` }];
  if (Math.abs(r.ann.convertedAccuracy - r.ann.accuracy) > 1e-9) {
    reference.push({ value: 100 * r.ann.convertedAccuracy, label: `converted ANN ${(100 * r.ann.convertedAccuracy).toFixed(2)}%` });
  }
  const accPath = join(outDir, 'accuracy-vs-timesteps.png');
  await lineChart(accPath, {
    title: `Spiking ${r.architecture.name} on ${r.dataset.spec}: accuracy vs timesteps (${r.conversion.input} input)`,
    x: { title: 'timesteps T per inference', log: true, domain: tRange },
    y: { title: 'test accuracy (%)', zero: false },
    points,
    reference,
  });
  files.push(accPath);

  const T = r.operatingPoint.timesteps;
  const at = r.snn.timesteps.find((t) => t.timesteps === T)!;
  const maxPj = Math.max(0, ...at.energy.map((m) => m.energyPerInferencePj));
  const [scale, unit] = energyUnit(maxPj);
  const rows: StackedBarRow[] = [];
  for (const m of at.energy) {
    const category = `${m.model}${m.complete ? '' : ' *'}`;
    for (const [layer, pJ] of Object.entries(m.perLayerPj)) rows.push({ category, component: layer, value: pJ / scale });
    if (m.staticPj !== null && m.staticPj > 0) rows.push({ category, component: 'static (chip)', value: m.staticPj / scale });
  }
  const barPath = join(outDir, 'energy-per-inference.png');
  await stackedBarChart(barPath, {
    title: `Energy per inference at T = ${T} by layer${at.energy.some((m) => !m.complete) ? ' (* lower bound: some costs not modelled)' : ''}`,
    rows,
    valueTitle: `energy per inference (${unit})`,
    componentTitle: 'layer',
    horizontal: true,
  });
  files.push(barPath);

  const energyPoints: LinePoint[] = [];
  const allPj = r.snn.timesteps.flatMap((t) => t.energy.map((m) => m.energyPerInferencePj));
  const [lineScale, lineUnit] = energyUnit(Math.max(0, ...allPj, r.annBaseline.fp32WithWeightFetchPerSamplePj));
  for (const t of r.snn.timesteps) {
    for (const m of t.energy) {
      if (m.energyPerInferencePj > 0) energyPoints.push({ x: t.timesteps, y: m.energyPerInferencePj / lineScale, series: `${m.model}${m.complete ? '' : ' *'}` });
    }
  }
  if (energyPoints.length > 0) {
    const linePath = join(outDir, 'energy-vs-timesteps.png');
    await lineChart(linePath, {
      title: `Energy per inference vs timesteps${r.snn.timesteps.some((t) => t.energy.some((m) => !m.complete)) ? ' (* lower bound)' : ''}`,
      x: { title: 'timesteps T per inference', log: true, domain: tRange },
      y: { title: `energy per inference (${lineUnit})`, log: true },
      points: energyPoints,
      reference: [{ value: r.annBaseline.fp32WithWeightFetchPerSamplePj / lineScale, label: 'ANN fp32 + weight fetch (45 nm)' }],
    });
    files.push(linePath);
  }
  return files;
}

/** Prints the summary tables. */
export function printDeploy(r: DeployResults, print: Print): void {
  print(`\nnetwork: ${r.conversion.layers.map((l) => `${l.name} ${l.output}`).join(' -> ')}; ${r.conversion.input} input, ${r.conversion.weightBits === 0 ? 'f32' : `${r.conversion.weightBits}-bit`} weights${r.conversion.weightBits === 0 ? '' : ` (one scale per ${r.conversion.weightScale ?? 'layer'}${(r.conversion.weightClip ?? 100) < 100 ? `, clipped at the ${r.conversion.weightClip}th percentile of |w|` : ''})`}, percentile ${r.conversion.percentile}`);
  print(formatTable(
    [
      { header: 'layer', value: 'name' },
      { header: 'kind', value: 'kind' },
      { header: 'output', value: 'output' },
      { header: 'neurons', value: 'neurons' },
      { header: 'crossbar', value: (l) => `${l.crossbar.nIn} x ${l.crossbar.nOut}${l.crossbar.outputPositions > 1 ? ` x ${l.crossbar.outputPositions}` : ''}` },
      { header: 'lambda', value: 'scale' },
      { header: 'max act', value: 'maxActivation' },
      ...(r.conversion.weightBits === 0 ? [] : [
        { header: 'scales', value: (l: LayerSummary) => (l.quantization ? l.quantization.scales : '') },
        { header: 'clipped %', value: (l: LayerSummary) => (l.quantization ? (100 * l.quantization.clippedFraction).toFixed(3) : '') },
        { header: 'to 0 %', value: (l: LayerSummary) => (l.quantization ? (100 * l.quantization.roundedToZeroFraction).toFixed(2) : '') },
      ]),
    ],
    r.conversion.layers,
  ));
  const ann = 100 * r.ann.accuracy;
  print(`ANN accuracy ${ann.toFixed(2)}%, converted ANN ${(100 * r.ann.convertedAccuracy).toFixed(2)}%, label mapping ${r.labelMapping.kind}`);
  print(`spiking pass: ${r.dataset.testImages} images, T = ${r.snn.timestepsRun}, ${r.snn.threads} thread(s) on ${r.snn.backend}: ${r.snn.seconds.toFixed(1)} s, ${r.snn.inferencesPerSecond.toFixed(1)} inferences/s\n`);
  print(formatTable(
    [
      { header: 'T', value: 'timesteps' },
      { header: 'acc membrane', unit: '%', value: (t) => (100 * t.accuracy.membrane).toFixed(2) },
      { header: 'acc spikes', unit: '%', value: (t) => (100 * t.accuracy.spikes).toFixed(2) },
      { header: 'vs ANN', unit: 'points', value: (t) => t.gapToAnnPoints.toFixed(2) },
      { header: 'agree ANN', unit: '%', value: (t) => (100 * t.agreementWithAnn[r.conversion.readout]).toFixed(2) },
      { header: 'spikes/inf', value: (t) => formatCount(t.spikesPerInference) },
      { header: 'eff. ACs/inf', value: (t) => formatCount(t.neurobench.synaptic_operations.Effective_ACs) },
      { header: 'eff. MACs/inf', value: (t) => formatCount(t.neurobench.synaptic_operations.Effective_MACs) },
      { header: 'dense/inf', value: (t) => formatCount(t.neurobench.synaptic_operations.Dense) },
      { header: 'act. sparsity', value: (t) => t.neurobench.activation_sparsity?.toFixed(4) ?? '-' },
    ],
    r.snn.timesteps,
  ));
  const models = r.snn.timesteps[0]!.energy.map((m) => m.model);
  print('energy per inference (* = lower bound, a cost is not modelled):');
  print(formatTable(
    [
      { header: 'T', value: (t: DeployResults['snn']['timesteps'][number]) => t.timesteps },
      ...models.map((name, k) => ({
        header: name,
        value: (t: DeployResults['snn']['timesteps'][number]) => `${formatPj(t.energy[k]!.energyPerInferencePj)}${t.energy[k]!.complete ? '' : ' *'}`,
      })),
    ],
    r.snn.timesteps,
  ));
  print('latency per inference:');
  print(formatTable(
    [
      { header: 'T', value: (t: DeployResults['snn']['timesteps'][number]) => t.timesteps },
      ...models.map((name, k) => ({ header: name, value: (t: DeployResults['snn']['timesteps'][number]) => formatNs(t.energy[k]!.latencyPerInferenceNs) })),
    ],
    r.snn.timesteps,
  ));
  const a = r.annBaseline;
  print(
    `ANN baseline (${a.model}): ${formatCount(a.macsPerSample)} MACs per inference -> fp32 ${formatPj(a.fp32PerSamplePj)}, int8 ${formatPj(a.int8PerSamplePj)}, ` +
      `fp32 with SRAM weight fetch ${formatPj(a.fp32WithWeightFetchPerSamplePj)}`,
  );
  print(`operating point: T = ${r.operatingPoint.timesteps} (${r.operatingPoint.reason})`);
  const at = r.snn.timesteps.find((t) => t.timesteps === r.operatingPoint.timesteps)!;
  print(`spikes per inference by layer at T = ${at.timesteps}: ${Object.entries(at.spikesPerLayer).map(([k, v]) => `${k} ${formatCount(v)}`).join(', ')}`);
  const top = (rec: Record<string, number> | null): string => {
    if (rec === null) return '-';
    const [name, value] = Object.entries(rec).reduce((a, b) => (b[1] > a[1] ? b : a));
    return `${name} (${value === 0 ? 0 : ((100 * value) / Object.values(rec).reduce((x, y) => x + y, 0)).toFixed(0)}%)`;
  };
  print(formatTable(
    [
      { header: 'model', value: (m: (typeof at.energy)[number]) => m.model },
      { header: 'energy/inference', value: (m: (typeof at.energy)[number]) => `${formatPj(m.energyPerInferencePj)}${m.complete ? '' : ' *'}` },
      { header: 'static share', value: (m: (typeof at.energy)[number]) => (m.staticPj === null || m.energyPerInferencePj === 0 ? '-' : `${((100 * m.staticPj) / m.energyPerInferencePj).toFixed(0)}%`) },
      { header: 'top layer (dynamic energy)', value: (m: (typeof at.energy)[number]) => top(m.perLayerPj) },
      { header: 'latency/inference', value: (m: (typeof at.energy)[number]) => formatNs(m.latencyPerInferenceNs) },
      { header: 'slowest layer alone', value: (m: (typeof at.energy)[number]) => {
        if (m.latencyPerLayerNs === null) return '-';
        const [name, ns] = Object.entries(m.latencyPerLayerNs).reduce((a, b) => (b[1] > a[1] ? b : a));
        return `${name} ${formatNs(ns)}`;
      } },
      { header: 'SNN / ANN fp32', value: (m: (typeof at.energy)[number]) => (m.snnOverAnnFp32 === null ? '-' : m.snnOverAnnFp32.toPrecision(3)) },
    ],
    at.energy,
  ));
}
