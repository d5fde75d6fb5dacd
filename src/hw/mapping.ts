import type { HardwareModel } from './model.js';

/** Cores of one shape within a layer's mapping (at most four shapes: full/partial rows x cols). */
export interface CoreBlock {
  rows: number;
  cols: number;
  /** How many cores have this shape. */
  count: number;
  /** Cores of the first row tile also hold the neurons of their columns. */
  holdsNeurons: boolean;
}

export interface LayerMapping {
  nIn: number;
  nOut: number;
  rowsPerCore: number;
  colsPerCore: number;
  rowTiles: number;
  colTiles: number;
  cores: number;
  /** What limited colsPerCore: the core geometry, the synapse memory, or nothing (no geometry). */
  limitedBy: 'geometry' | 'synapse-memory' | 'unbounded';
  blocks: CoreBlock[];
  warnings: string[];
}

export interface CoreGeometry {
  rows: number;
  cols: number;
  synapseMemoryBitsPerCore?: number;
  bitsPerSynapse?: number;
}

export function geometryOf(model: HardwareModel): CoreGeometry | undefined {
  const g = model.geometry;
  if (!g) return undefined;
  return {
    rows: g.rows.value,
    cols: g.cols.value,
    synapseMemoryBitsPerCore: g.synapseMemoryBitsPerCore?.value,
    bitsPerSynapse: g.bitsPerSynapse?.value,
  };
}

/**
 * Maps an nIn x nOut synapse matrix onto cores of `geometry`:
 * rowsPerCore = min(rows, nIn); colsPerCore = min(cols, nOut), further limited so that
 * rowsPerCore x colsPerCore synapses fit the core's synapse memory (bits / bitsPerSynapse);
 * rowTiles = ceil(nIn / rowsPerCore), colTiles = ceil(nOut / colsPerCore), cores = rowTiles x colTiles.
 * Partial sums of row tiles are combined in the first row tile, whose cores hold the neurons.
 * Without a geometry the whole layer is one core.
 */
export function mapLayer(nIn: number, nOut: number, geometry: CoreGeometry | undefined): LayerMapping {
  const warnings: string[] = [];
  if (!geometry) {
    return {
      nIn, nOut, rowsPerCore: nIn, colsPerCore: nOut, rowTiles: 1, colTiles: 1, cores: 1, limitedBy: 'unbounded',
      blocks: [{ rows: nIn, cols: nOut, count: 1, holdsNeurons: true }], warnings,
    };
  }
  let rowsPerCore = Math.min(geometry.rows, nIn);
  let colsPerCore = Math.min(geometry.cols, nOut);
  let limitedBy: LayerMapping['limitedBy'] = 'geometry';
  if (geometry.synapseMemoryBitsPerCore !== undefined && geometry.bitsPerSynapse !== undefined) {
    const maxSynapses = Math.floor(geometry.synapseMemoryBitsPerCore / geometry.bitsPerSynapse);
    if (rowsPerCore > maxSynapses) {
      rowsPerCore = Math.max(1, maxSynapses);
      warnings.push(`one column of ${nIn} inputs exceeds a core's synapse memory (${maxSynapses} synapses); inputs are split over ${Math.ceil(nIn / rowsPerCore)} row tiles`);
    }
    const fit = Math.max(1, Math.floor(maxSynapses / rowsPerCore));
    if (fit < colsPerCore) {
      colsPerCore = fit;
      limitedBy = 'synapse-memory';
    }
  }
  const rowTiles = Math.ceil(nIn / rowsPerCore);
  const colTiles = Math.ceil(nOut / colsPerCore);
  const lastRows = nIn - (rowTiles - 1) * rowsPerCore;
  const lastCols = nOut - (colTiles - 1) * colsPerCore;
  const blocks: CoreBlock[] = [];
  const add = (rows: number, cols: number, count: number, holdsNeurons: boolean): void => {
    if (count <= 0) return;
    const same = blocks.find((b) => b.rows === rows && b.cols === cols && b.holdsNeurons === holdsNeurons);
    if (same) same.count += count;
    else blocks.push({ rows, cols, count, holdsNeurons });
  };
  // First row tile (holds neurons); its rows are rowsPerCore, or lastRows when there is one row tile.
  const firstRows = rowTiles === 1 ? lastRows : rowsPerCore;
  add(firstRows, colsPerCore, colTiles - 1, true);
  add(firstRows, lastCols, 1, true);
  if (rowTiles > 1) {
    add(rowsPerCore, colsPerCore, (rowTiles - 2) * (colTiles - 1), false);
    add(rowsPerCore, lastCols, rowTiles - 2, false);
    add(lastRows, colsPerCore, colTiles - 1, false);
    add(lastRows, lastCols, 1, false);
  }
  return { nIn, nOut, rowsPerCore, colsPerCore, rowTiles, colTiles, cores: rowTiles * colTiles, limitedBy, blocks, warnings };
}
