import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { ValidationError } from '../errors.js';
import type { HardwareModel, LoadedModel } from './model.js';
import { hwModelsDir, validateModel } from './model-validate.js';
import { DocumentValidationError } from './violations.js';

/** Names of the models shipped in hw-models/ (file name without .json), sorted. */
export function shippedModelNames(): string[] {
  return readdirSync(hwModelsDir())
    .filter((f) => f.endsWith('.json') && f !== 'schema.json')
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

function readJson(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ValidationError('model file', path, `a readable JSON file (${(err as Error).message})`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ValidationError('model file', path, `valid JSON (${(err as Error).message})`);
  }
}

/** Reads and validates a model file; throws DocumentValidationError listing every violation. */
export function loadModelFile(path: string): LoadedModel {
  const file = resolve(path);
  const doc = readJson(file);
  const violations = validateModel(doc);
  if (violations.length) throw new DocumentValidationError(file, violations, 'a hardware model satisfying hw-models/schema.json');
  return { model: doc as HardwareModel, file };
}

function looksLikePath(arg: string): boolean {
  return arg.includes('/') || arg.includes('\\') || arg.endsWith('.json');
}

/** A shipped model by name, or a user model by path. Unknown names list the valid ones. */
export function loadModel(nameOrPath: string): LoadedModel {
  if (looksLikePath(nameOrPath)) {
    if (!existsSync(nameOrPath)) throw new ValidationError('--model', nameOrPath, 'an existing model JSON file, a shipped model name or "all"');
    return loadModelFile(nameOrPath);
  }
  const names = shippedModelNames();
  if (!names.includes(nameOrPath)) {
    throw new ValidationError('--model', nameOrPath, `one of ${names.map((n) => JSON.stringify(n)).join(', ')}, "all", or a path to a model JSON file`);
  }
  return loadModelFile(join(hwModelsDir(), `${nameOrPath}.json`));
}

/** Resolves a --model argument: "all", a name, a path, or a comma-separated list of those. */
export function resolveModels(arg: string): LoadedModel[] {
  const parts = arg.split(',').map((s) => s.trim()).filter(Boolean);
  if (parts.length === 0) throw new ValidationError('--model', arg, 'a shipped model name, "all", or a path to a model JSON file');
  const out: LoadedModel[] = [];
  for (const part of parts) {
    const loaded = part === 'all' ? shippedModelNames().map((n) => loadModel(n)) : [loadModel(part)];
    for (const m of loaded) if (!out.some((o) => o.file === m.file)) out.push(m);
  }
  return out;
}

/** All shipped models, validated. */
export function loadShippedModels(): LoadedModel[] {
  return shippedModelNames().map((n) => loadModel(n));
}

/** The shipped model file name must equal its `name` field; used by tests and --list. */
export function fileNameMatchesName(loaded: LoadedModel): boolean {
  return basename(loaded.file) === `${loaded.model.name}.json`;
}
