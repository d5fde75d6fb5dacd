import type { TopLevelSpec } from 'vega-lite';
import { specToSvg } from '../report/charts.js';
import { CHART_FONT_FAMILY, svgToPng } from '../report/render.js';
import type { EnergyReport } from './estimate.js';
import { COMPONENTS } from './energy.js';

/** One fixed, distinguishable colour per component, so charts of different runs read the same. */
const COMPONENT_COLOURS = [
  '#4e79a7', '#a0cbe8', '#f28e2b', '#ffbe7d', '#59a14f', '#8cd17d', '#b6992d',
  '#e15759', '#ff9d9a', '#79706e', '#d37295', '#b07aa1', '#9d7660', '#17becf',
];

/**
 * Stacked bar chart of energy per sample by component, one bar per model (rendered by src/report's
 * specToSvg and svgToPng). Components a model does not model are absent from its bar; the axis title
 * says so when any bar is a lower bound.
 */
export function energyChartSpec(report: EnergyReport): TopLevelSpec {
  const n = report.workload.samples;
  const largestPj = Math.max(0, ...report.models.map((m) => m.energy.perSamplePj));
  const [scale, unit] = largestPj >= 1e6 ? [1e6, 'uJ'] : largestPj >= 1e3 ? [1e3, 'nJ'] : [1, 'pJ'];
  const values: { model: string; component: string; energy: number }[] = [];
  for (const m of report.models) {
    for (const c of m.energy.components) {
      if (c.energyPj === null || c.energyPj === 0) continue;
      values.push({ model: m.model.name + (m.energy.complete ? '' : ' *'), component: c.label, energy: c.energyPj / n / scale });
    }
  }
  const anyIncomplete = report.models.some((m) => !m.energy.complete);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text: `Energy per sample: ${report.workload.name}`, subtitle: anyIncomplete ? '* lower bound: some costs are not modelled for this chip' : '' },
    width: 560,
    height: { step: 28 },
    background: 'white',
    data: { values },
    mark: { type: 'bar' },
    encoding: {
      y: { field: 'model', type: 'nominal', title: null, sort: '-x' },
      x: { field: 'energy', type: 'quantitative', aggregate: 'sum', title: `energy per sample (${unit})` },
      color: {
        field: 'component',
        type: 'nominal',
        title: 'component',
        scale: { domain: COMPONENTS.map((c) => c.label), range: COMPONENT_COLOURS },
        legend: { labelLimit: 400 },
      },
      tooltip: [{ field: 'model' }, { field: 'component' }, { field: 'energy', format: '.4g', title: unit }],
    },
    config: { font: CHART_FONT_FAMILY },
  } as TopLevelSpec;
}

/** SVG text and PNG bytes of the model comparison chart. */
export async function energyChart(report: EnergyReport): Promise<{ svg: string; png: Uint8Array }> {
  const svg = await specToSvg(energyChartSpec(report));
  return { svg, png: svgToPng(svg).png };
}
