/**
 * Node's garbage collected at once, rather than when V8 next needs the room. A large publication's editions
 * print one at a time (build.ts), and Node waits idle through each print; V8 collects only as Node allocates, so
 * the garbage of the work before (the rendered Markdown, the last edition's PDF and its post-processing, about
 * 0.2 GB for the 5 MB manuscript) stayed in memory beside the renderer's layout for the whole print
 * (docs/performance.md).
 *
 * `gc` is V8's own. The flag exposes it to contexts made after it is set, not to this one, so nothing else in
 * the process sees a `gc` it did not have (as Jest reaches it for `--logHeapUsage`).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gc: (() => void) | undefined;

/** A full collection. The buffers it frees are given back as V8 sweeps, on its own threads, within moments. */
export function collectGarbage(): void {
  if (!gc) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  // Without options: Node 20's V8 collected nothing when given `{ type: 'major', execution: 'sync' }`.
  gc();
}
