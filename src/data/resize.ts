/**
 * Bilinear resize of a uint8 HWC image, antialiased when shrinking: a separable triangle filter
 * whose radius is 1 source pixel when enlarging and `scale` source pixels when shrinking (the
 * scheme of Pillow's BILINEAR filter), sampling at pixel centres ((i + 0.5) * scale - 0.5).
 * Returns a new array of outHeight * outWidth * channels values, rounded to the nearest integer.
 */
export function resizeBilinear(
  src: Uint8Array,
  height: number,
  width: number,
  channels: number,
  outHeight: number,
  outWidth: number,
): Uint8Array {
  if (height === outHeight && width === outWidth) return src.slice();
  const wx = filterTaps(width, outWidth);
  const wy = filterTaps(height, outHeight);
  // Horizontal pass: height x outWidth x channels, kept in f32.
  const tmp = new Float32Array(height * outWidth * channels);
  for (let y = 0; y < height; y++) {
    const row = y * width * channels;
    for (let x = 0; x < outWidth; x++) {
      const { start, weights } = wx[x]!;
      for (let c = 0; c < channels; c++) {
        let acc = 0;
        for (let t = 0; t < weights.length; t++) acc += weights[t]! * src[row + (start + t) * channels + c]!;
        tmp[(y * outWidth + x) * channels + c] = acc;
      }
    }
  }
  const out = new Uint8Array(outHeight * outWidth * channels);
  for (let y = 0; y < outHeight; y++) {
    const { start, weights } = wy[y]!;
    for (let x = 0; x < outWidth; x++) {
      for (let c = 0; c < channels; c++) {
        let acc = 0;
        for (let t = 0; t < weights.length; t++) acc += weights[t]! * tmp[((start + t) * outWidth + x) * channels + c]!;
        out[(y * outWidth + x) * channels + c] = Math.min(255, Math.max(0, Math.round(acc)));
      }
    }
  }
  return out;
}

interface Taps {
  start: number;
  weights: Float32Array;
}

/** Per output index: first source index and normalised triangle-filter weights (edges clamped by truncation). */
function filterTaps(inSize: number, outSize: number): Taps[] {
  const scale = inSize / outSize;
  const radius = Math.max(scale, 1);
  const taps: Taps[] = [];
  for (let i = 0; i < outSize; i++) {
    const centre = (i + 0.5) * scale;
    const lo = Math.max(0, Math.floor(centre - radius));
    const hi = Math.min(inSize, Math.ceil(centre + radius));
    const w: number[] = [];
    let sum = 0;
    for (let j = lo; j < hi; j++) {
      const d = Math.abs((j + 0.5 - centre) / radius);
      const v = d < 1 ? 1 - d : 0;
      w.push(v);
      sum += v;
    }
    // Drop zero-weight taps at both ends so the inner loops stay short.
    let a = 0;
    let b = w.length;
    while (a < b && w[a] === 0) a++;
    while (b > a && w[b - 1] === 0) b--;
    const weights = new Float32Array(b - a);
    for (let t = a; t < b; t++) weights[t - a] = w[t]! / sum;
    taps.push({ start: lo + a, weights });
  }
  return taps;
}
