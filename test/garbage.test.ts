/**
 * A large publication's garbage collected before each of its prints (scripts/base/garbage.ts): what Node no longer
 * holds is given back at once, the pages it lay on included, and no `gc` appears in the program's own global scope.
 */
import { getHeapSpaceStatistics } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { collectGarbage } from '../scripts/base/garbage.js';

describe('collectGarbage', () => {
  it('frees the buffers nothing holds any more, and leaves no global gc behind', async () => {
    let held: Uint8Array[] | undefined = Array.from({ length: 40 }, () => new Uint8Array(4 * 2 ** 20).fill(1));
    // Measured from what is held, not from before: buffers freed earlier are given back as V8 sweeps, in the
    // background, and one such sweep during the allocation had made the difference from before 100 MB.
    const holding = process.memoryUsage().arrayBuffers;
    expect(holding).toBeGreaterThanOrEqual(160 * 2 ** 20);
    held = undefined;
    collectGarbage();
    expect(held).toBeUndefined();
    // Given back as V8 sweeps, on threads of its own: with nothing allocated meanwhile, no other collection does
    // it within the few seconds (V8's memory reducer waits 8 s).
    await expect.poll(() => holding - process.memoryUsage().arrayBuffers, { timeout: 5_000 }).toBeGreaterThan(150 * 2 ** 20);
    expect((globalThis as { gc?: unknown }).gc).toBeUndefined();
  });

  it('gives back the pages of a heap left sparse, not only the garbage on them', () => {
    const oldSpace = () => getHeapSpaceStatistics().find((space) => space.space_name === 'old_space')!;
    // A million small objects, moved to the old generation; then two in three of them let go, so that every
    // page keeps a few live objects among the garbage, as a long build's heap does.
    let all: { index: number; pair: number[] }[] | undefined = Array.from({ length: 1_000_000 }, (_, index) => ({ index, pair: [index, index] }));
    collectGarbage();
    const kept = all.filter((_, index) => index % 3 === 0);
    all = undefined;
    collectGarbage();
    const { space_size: pages, space_used_size: used } = oldSpace();
    // A plain collection left some 68 MB of pages around the 36 MB still used (measured on Node 20, 22 and 24).
    expect(pages - used).toBeLessThan(16 * 2 ** 20);
    expect(kept).toHaveLength(333_334);
  });
});
