export function probe(): i32 { return ASC_FEATURE_SIMD ? 1 : 0; }
