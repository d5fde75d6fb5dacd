/**
 * The sweep's journal in its output folder, so an interrupted sweep can continue (`--resume`):
 *   points.jsonl          line 1: the sweep's identity; then one finished point record per line
 *   reference/s<seed>.bin float reference of a seed: final weights (f32) then probe spike counts (u32),
 *                         what later points of that seed are compared with
 * A resumed run skips the recorded points and must be the same sweep (workload, grid, slice, device
 * parameters); points are deterministic, so the result equals an uninterrupted run's.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ValidationError } from '../errors.js';
import { writeFileAtomic } from '../report/atomic.js';
import type { PointRecord } from './results.js';

export const JOURNAL_FILE = 'points.jsonl';

export interface SavedReference {
  record: PointRecord;
  weights: Float32Array;
  probeResponses: Uint32Array;
}

export class PointJournal {
  private readonly path: string;

  constructor(private readonly out: string, private readonly identity: string) {
    this.path = join(out, JOURNAL_FILE);
  }

  /** Starts a fresh journal (an existing one is replaced). */
  start(): void {
    mkdirSync(this.out, { recursive: true });
    writeFileAtomic(this.path, `${this.identity}\n`);
  }

  /** Records read back for --resume (empty when there is no journal), checked against this sweep. */
  load(): { records: PointRecord[]; references: Map<number, SavedReference> } {
    const references = new Map<number, SavedReference>();
    if (!existsSync(this.path)) return { records: [], references };
    const lines = readFileSync(this.path, 'utf8').split('\n').filter((l) => l.trim() !== '');
    if (lines[0] !== this.identity) {
      throw new ValidationError('--resume', this.path, 'a journal of the same sweep (same workload, grid, slice and device parameters); use another --out or drop --resume');
    }
    const records: PointRecord[] = [];
    for (const line of lines.slice(1)) {
      try {
        records.push(JSON.parse(line) as PointRecord);
      } catch {
        // A line cut short by the interruption: that point runs again.
      }
    }
    for (const r of records) {
      if (r.bits !== 0) continue;
      const file = join(this.out, 'reference', `s${r.seed}.bin`);
      if (!existsSync(file)) continue;
      const bytes = readFileSync(file);
      const buf = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
      const header = new Uint32Array(buf, 0, 2);
      const weights = new Float32Array(buf, 8, header[0]!);
      const probeResponses = new Uint32Array(buf, 8 + header[0]! * 4, header[1]!);
      references.set(r.seed, { record: r, weights: Float32Array.from(weights), probeResponses: Uint32Array.from(probeResponses) });
    }
    // A float point whose reference file is missing runs again, so its seed's points can be compared.
    return { records: records.filter((r) => r.bits !== 0 || references.has(r.seed)), references };
  }

  /** Appends a finished point; a float reference also saves what its seed's points are compared with. */
  append(record: PointRecord, reference?: { weights: Float32Array; probeResponses: Uint32Array }): void {
    if (reference) {
      mkdirSync(join(this.out, 'reference'), { recursive: true });
      const bytes = new Uint8Array(8 + reference.weights.byteLength + reference.probeResponses.byteLength);
      new Uint32Array(bytes.buffer, 0, 2).set([reference.weights.length, reference.probeResponses.length]);
      bytes.set(new Uint8Array(reference.weights.buffer, reference.weights.byteOffset, reference.weights.byteLength), 8);
      bytes.set(new Uint8Array(reference.probeResponses.buffer, reference.probeResponses.byteOffset, reference.probeResponses.byteLength), 8 + reference.weights.byteLength);
      writeFileAtomic(join(this.out, 'reference', `s${record.seed}.bin`), bytes);
    }
    appendFileSync(this.path, `${JSON.stringify(record)}\n`);
  }
}
