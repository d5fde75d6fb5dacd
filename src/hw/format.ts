import { formatTable, type TableColumn } from '../report/table.js';
import type { EnergyReport, ModelEstimate } from './estimate.js';
import type { LoadedModel, Quantity } from './model.js';

function sig(x: number, digits = 4): string {
  if (x === 0) return '0';
  const s = x.toPrecision(digits);
  return s.includes('e') ? s : String(Number(s));
}

/** Energy with an SI prefix: 1234 pJ -> "1.234 nJ". */
export function formatPj(pJ: number | null): string {
  if (pJ === null) return 'not modelled';
  const units: [number, string][] = [[1e12, 'J'], [1e9, 'mJ'], [1e6, 'uJ'], [1e3, 'nJ'], [1, 'pJ'], [1e-3, 'fJ']];
  for (const [scale, unit] of units) if (Math.abs(pJ) >= scale) return `${sig(pJ / scale)} ${unit}`;
  return pJ === 0 ? '0 pJ' : `${sig(pJ * 1e3)} fJ`;
}

/** Time with a unit: 1234 ns -> "1.234 us". */
export function formatNs(ns: number | null): string {
  if (ns === null) return 'not modelled';
  const units: [number, string][] = [[1e9, 's'], [1e6, 'ms'], [1e3, 'us'], [1, 'ns']];
  for (const [scale, unit] of units) if (Math.abs(ns) >= scale) return `${sig(ns / scale)} ${unit}`;
  return ns === 0 ? '0 ns' : `${sig(ns)} ns`;
}

export function formatCount(n: number | null): string {
  if (n === null) return '-';
  const rounded = Math.round(n);
  const isWhole = Math.abs(n - rounded) <= 1e-9 * Math.max(1, Math.abs(n));
  if ((isWhole || Math.abs(n) >= 1000) && Math.abs(n) < 1e7) return rounded.toLocaleString('en-US');
  return Math.abs(n) >= 1e4 ? n.toExponential(3) : sig(n);
}

export function formatRate(perSecond: number | null): string {
  return perSecond === null ? 'not modelled' : `${perSecond.toExponential(3)}/s`;
}

/** Plain-text table of ready-made cells with a header rule; columns listed in `rightAligned` are right-aligned. */
export function renderTable(headers: string[], rows: string[][], rightAligned: number[] = []): string {
  const columns: TableColumn<string[]>[] = headers.map((header, i) => ({
    header,
    value: (row) => row[i] ?? '',
    align: rightAligned.includes(i) ? 'right' : 'left',
    format: (cell) => cell as string,
  }));
  return formatTable(columns, rows).slice(0, -1);
}

/** Per-component breakdown of one model, per sample; derived costs get a numbered footnote with their arithmetic. */
export function breakdownTable(est: ModelEstimate, samples: number): string {
  const total = est.energy.totalPj;
  const notes: string[] = [];
  const rows = est.energy.components.map((c) => [
    c.label,
    c.id === 'static' ? (c.energyPj === null && c.count === 0 ? '-' : `${formatNs(c.count / samples)} x core`) : formatCount(c.count / samples),
    c.unitCost === null ? 'not modelled' : c.id === 'static' ? `${sig(c.unitCost)} mW` : formatPj(c.unitCost),
    formatPj(c.energyPj === null ? null : c.energyPj / samples),
    c.energyPj === null || total === 0 ? '-' : `${((100 * c.energyPj) / total).toFixed(1)}%`,
    sourceCell(c.quantity, notes),
  ]);
  rows.push(['total', '', '', formatPj(est.energy.perSamplePj), est.energy.complete ? '100%' : 'lower bound', '']);
  const table = renderTable(['component', 'count/sample', 'unit cost', 'energy/sample', 'share', 'source'], rows, [1, 2, 3, 4]);
  return notes.length ? `${table}\n${notes.join('\n')}` : table;
}

function sourceCell(q: Quantity | null, notes: string[]): string {
  if (!q) return 'no figure in this model';
  const src = q.via ? `${q.source} via ${q.via}` : q.source;
  if (q.status !== 'derived') return `${q.status}, ${src}`;
  notes.push(`  [${notes.length + 1}] ${q.arithmetic}`);
  return `derived [${notes.length}], ${src}`;
}

/** One line per model: energy, latency, throughput, SNN/ANN ratio. */
export function summaryTable(report: EnergyReport): string {
  const rows = report.models.map((m) => [
    m.model.name,
    formatPj(m.energy.perSamplePj) + (m.energy.complete ? '' : ' (lower bound)'),
    m.energyPerSynapticEventPj === null ? '-' : formatPj(m.energyPerSynapticEventPj),
    m.latency.modelled ? formatNs(m.latency.perSampleNs) + (m.latency.complete ? '' : ' (lower bound)') : 'not modelled',
    formatRate(m.throughput.sustainedSynapticEventsPerSecond),
    m.snnOverAnnFp32 === null ? '-' : sig(m.snnOverAnnFp32, 3),
  ]);
  return renderTable(['model', 'energy/sample', 'energy/syn. event', 'latency/sample', 'syn. events/s', 'SNN/ANN fp32'], rows, [2, 4, 5]);
}

/** --list: one row per model with node, per-event energy and its primary source. */
export function modelListTable(models: LoadedModel[]): string {
  const rows = models.map(({ model }) => {
    const e = model.energyPj.synapticEvent;
    const ref = e ? model.references[e.source] : undefined;
    return [
      model.name,
      model.kind,
      `${model.technology.nodeNm.value} nm`,
      e ? formatPj(e.value) : '-',
      model.displayName,
      ref ? ref.citation.split(',').slice(0, 2).join(',') : Object.values(model.references)[0]?.citation.split(',')[0] ?? '',
    ];
  });
  return renderTable(['name', 'kind', 'node', 'pJ/syn. event', 'model', 'source of the per-event energy'], rows, [2, 3]);
}
