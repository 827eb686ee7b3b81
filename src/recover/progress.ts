/**
 * The search's progress events: a few a second (fast targets settle thousands of batches a
 * second), with the position inside the current source as detail.
 */
import type { OnProgress } from '../progress.js';
import type { Keyspace } from './keyspace.js';
import type { SearchPlan } from './plan.js';

/** `rate`: the engine's own measured speed, when it reports one (hashcat) */
export function progressReporter(plan: SearchPlan, keyspace: Keyspace, onProgress: OnProgress | undefined): (committed: number, source: number, rate?: number) => void {
  let last = 0;
  return (committed, source, rate) => {
    if (!onProgress) return;
    const now = performance.now();
    if (now - last < 50 && committed < keyspace.total) return;
    last = now;
    const s = plan.sources[source];
    const local = Math.min(s.size, Math.max(0, committed - keyspace.offsets[source]));
    onProgress({
      phase: 'recover',
      done: committed,
      total: keyspace.total,
      unit: 'candidates',
      detail: `[${source + 1}/${plan.sources.length} ${s.label}: ${local.toLocaleString('en-US')}/${s.size.toLocaleString('en-US')}]`,
      ...(rate !== undefined && rate > 0 ? { rate } : {}),
    });
  };
}
