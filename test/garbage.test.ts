/**
 * A large publication's garbage collected before each of its prints (scripts/base/garbage.ts): what Node no longer
 * holds is given back at once, and no `gc` appears in the program's own global scope.
 */
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
});
