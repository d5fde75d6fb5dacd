/**
 * Hardware models and energy/latency accounting. Knows counters, not kernels.
 * Producers of workloads call workloadFromCounters() (import it from './workload.js' to stay light)
 * and store the result under "workload" in their results.json; consumers call
 * energyReport(workload, resolveModels('all')). Charts (vega, resvg) live in './chart.js'.
 */
export type { HardwareModel, Quantity, QuantityStatus, Reference, LoadedModel, OperationName, ModelKind } from './model.js';
export { OPERATION_NAMES, provenance } from './model.js';
export type { Violation } from './violations.js';
export { DocumentValidationError, formatViolation } from './violations.js';
export { validateModel, hwModelsDir } from './model-validate.js';
export { shippedModelNames, loadModel, loadModelFile, resolveModels, loadShippedModels } from './model-registry.js';
export type { DeviceParameters } from './device.js';
export { deviceParameters, requireDeviceParameters, modelsWithDevice } from './device.js';
export type { Workload, WorkloadLayer, WorkloadInput, WorkloadLayerInput, LayerKind } from './workload.js';
export { workloadFromCounters, parseWorkload, readWorkload, validateWorkload, rowActivationsOf } from './workload.js';
export type { LayerMapping, CoreBlock, CoreGeometry } from './mapping.js';
export { mapLayer, geometryOf } from './mapping.js';
export type { OperationCounts } from './operation-counts.js';
export { operationCounts } from './operation-counts.js';
export type { EnergyBreakdown, EnergyComponent, ComponentId } from './energy.js';
export { estimateEnergy, COMPONENTS } from './energy.js';
export type { LatencyEstimate } from './latency.js';
export { estimateLatency } from './latency.js';
export type { AnnBaseline } from './ann-baseline.js';
export { annBaseline, ANN_BASELINE_MODEL, ANN_CAVEAT } from './ann-baseline.js';
export type { NeuroBenchMetrics } from './neurobench.js';
export { neuroBenchMetrics } from './neurobench.js';
export type { EnergyReport, ModelEstimate, LayerEstimate, Throughput } from './estimate.js';
export { energyReport, estimateModel } from './estimate.js';
export { breakdownTable, summaryTable, modelListTable, formatPj, formatNs } from './format.js';
