import { ValidationError, requireInteger } from '../errors.js';

/** A row-major feature matrix: `rows` samples x `cols` dimensions. */
export interface FeatureMatrix {
  data: Float32Array;
  rows: number;
  cols: number;
}

/** Validates shape and finiteness (NaN or Infinity in features would silently poison PCA and k-means). */
export function validateFeatures(field: string, f: FeatureMatrix): FeatureMatrix {
  requireInteger(`${field}.rows`, f.rows, 1);
  requireInteger(`${field}.cols`, f.cols, 1);
  if (!(f.data instanceof Float32Array)) throw new ValidationError(`${field}.data`, f.data, 'a Float32Array');
  if (f.data.length !== f.rows * f.cols) {
    throw new ValidationError(`${field}.data`, f.data, `${f.rows * f.cols} values (rows x cols = ${f.rows} x ${f.cols})`);
  }
  for (let i = 0; i < f.data.length; i++) {
    if (!Number.isFinite(f.data[i]!)) {
      throw new ValidationError(`${field}[${Math.floor(i / f.cols)}][${i % f.cols}]`, f.data[i], 'a finite number');
    }
  }
  return f;
}

/** Row `i` as a view (no copy). */
export function featureRow(f: FeatureMatrix, i: number): Float32Array {
  return f.data.subarray(i * f.cols, (i + 1) * f.cols);
}
