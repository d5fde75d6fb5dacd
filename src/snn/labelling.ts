import { ValidationError, requireInteger } from '../errors.js';

/**
 * Diehl & Cook's read-out of an unsupervised WTA layer: every neuron is assigned the class it
 * responds to most (highest mean spike count per presented sample of that class, learning off),
 * and a sample is classified as the class whose assigned neurons have the highest mean spike count.
 *
 * Responses are spike counts, row-major `responses[s * nNeurons + j]` = spikes of neuron `j` for
 * sample `s`.
 */
export interface LabelAssignment {
  nNeurons: number;
  nClasses: number;
  /** Class of each neuron; -1 for a neuron that never fired during the labelling pass. */
  assignments: Int32Array;
  /** Mean spike count per sample, `meanResponse[c * nNeurons + j]` for class `c`, neuron `j`. */
  meanResponse: Float64Array;
  /** How many neurons were assigned to each class. */
  neuronsPerClass: Uint32Array;
}

function checkShape(responses: ArrayLike<number>, nSamples: number, nNeurons: number): void {
  requireInteger('nNeurons', nNeurons, 1);
  if (responses.length !== nSamples * nNeurons) {
    throw new ValidationError('responses', responses, `length nSamples x nNeurons = ${nSamples} x ${nNeurons}`);
  }
}

/**
 * Assigns each neuron the class with the highest mean response. Ties go to the lower class index;
 * a neuron that never fired stays unassigned (-1) and takes no part in classification.
 */
export function assignLabels(
  responses: ArrayLike<number>,
  labels: ArrayLike<number>,
  nNeurons: number,
  nClasses: number,
): LabelAssignment {
  requireInteger('nClasses', nClasses, 1);
  const nSamples = labels.length;
  checkShape(responses, nSamples, nNeurons);
  const sums = new Float64Array(nClasses * nNeurons);
  const perClass = new Float64Array(nClasses);
  for (let s = 0; s < nSamples; s++) {
    const c = labels[s];
    if (!Number.isInteger(c) || c < 0 || c >= nClasses) {
      throw new ValidationError(`labels[${s}]`, c, `an integer in [0, ${nClasses - 1}]`);
    }
    perClass[c] += 1;
    const row = s * nNeurons;
    const out = c * nNeurons;
    for (let j = 0; j < nNeurons; j++) sums[out + j] += responses[row + j];
  }
  const meanResponse = new Float64Array(nClasses * nNeurons);
  for (let c = 0; c < nClasses; c++) {
    if (perClass[c] === 0) continue;
    for (let j = 0; j < nNeurons; j++) meanResponse[c * nNeurons + j] = sums[c * nNeurons + j] / perClass[c];
  }
  const assignments = new Int32Array(nNeurons).fill(-1);
  const neuronsPerClass = new Uint32Array(nClasses);
  for (let j = 0; j < nNeurons; j++) {
    let best = 0;
    for (let c = 0; c < nClasses; c++) {
      const r = meanResponse[c * nNeurons + j];
      if (r > best) {
        best = r;
        assignments[j] = c;
      }
    }
    if (assignments[j] >= 0) neuronsPerClass[assignments[j]] += 1;
  }
  return { nNeurons, nClasses, assignments, meanResponse, neuronsPerClass };
}

/**
 * Classifies every sample by the class whose assigned neurons have the highest mean spike count
 * (ties to the lower class index). A sample on which no assigned neuron fired gets -1 (unclassified).
 */
export function classify(responses: ArrayLike<number>, assignment: LabelAssignment): Int32Array {
  const { nNeurons, nClasses, assignments, neuronsPerClass } = assignment;
  if (responses.length % nNeurons !== 0) {
    throw new ValidationError('responses', responses, `a length that is a multiple of nNeurons = ${nNeurons}`);
  }
  const nSamples = responses.length / nNeurons;
  const predictions = new Int32Array(nSamples);
  const score = new Float64Array(nClasses);
  for (let s = 0; s < nSamples; s++) {
    score.fill(0);
    const row = s * nNeurons;
    let any = false;
    for (let j = 0; j < nNeurons; j++) {
      const c = assignments[j];
      const r = responses[row + j];
      if (c >= 0 && r > 0) {
        score[c] += r;
        any = true;
      }
    }
    if (!any) {
      predictions[s] = -1;
      continue;
    }
    let best = -1;
    let bestScore = -1;
    for (let c = 0; c < nClasses; c++) {
      if (neuronsPerClass[c] === 0) continue;
      const mean = score[c] / neuronsPerClass[c];
      if (mean > bestScore) {
        bestScore = mean;
        best = c;
      }
    }
    predictions[s] = best;
  }
  return predictions;
}

/** Classification summary against the true labels. */
export interface ClassificationReport {
  accuracy: number;
  correct: number;
  total: number;
  /** Samples left unclassified (no assigned neuron fired); they count as wrong. */
  unclassified: number;
  /** `confusion[t][p]`: samples of true class t predicted as p (unclassified samples are not in it). */
  confusion: number[][];
  /** Accuracy per true class (correct / samples of that class; NaN-free: 0 for an absent class). */
  perClassAccuracy: number[];
  /** Samples per true class. */
  perClassCount: number[];
}

export function classificationReport(
  predictions: ArrayLike<number>,
  labels: ArrayLike<number>,
  nClasses: number,
): ClassificationReport {
  if (predictions.length !== labels.length) {
    throw new ValidationError('predictions', predictions, `the same length as labels (${labels.length})`);
  }
  const confusion = Array.from({ length: nClasses }, () => new Array<number>(nClasses).fill(0));
  const perClassCount = new Array<number>(nClasses).fill(0);
  const perClassCorrect = new Array<number>(nClasses).fill(0);
  let correct = 0;
  let unclassified = 0;
  for (let s = 0; s < labels.length; s++) {
    const t = labels[s];
    const p = predictions[s];
    perClassCount[t] += 1;
    if (p < 0) {
      unclassified += 1;
      continue;
    }
    confusion[t][p] += 1;
    if (p === t) {
      correct += 1;
      perClassCorrect[t] += 1;
    }
  }
  const total = labels.length;
  return {
    accuracy: total > 0 ? correct / total : 0,
    correct,
    total,
    unclassified,
    confusion,
    perClassAccuracy: perClassCount.map((n, c) => (n > 0 ? perClassCorrect[c] / n : 0)),
    perClassCount,
  };
}
