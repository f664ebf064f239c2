/**
 * A large publication's garbage collected before each of its prints (scripts/base/garbage.ts): what Node no longer
 * holds is given back at once, and no `gc` appears in the program's own global scope.
 */
import { describe, expect, it } from 'vitest';
import { collectGarbage } from '../scripts/base/garbage.js';

describe('collectGarbage', () => {
  it('frees the buffers nothing holds any more, and leaves no global gc behind', async () => {
    collectGarbage();
    const before = process.memoryUsage().arrayBuffers;
    let held: Uint8Array[] | undefined = Array.from({ length: 40 }, () => new Uint8Array(4 * 2 ** 20).fill(1));
    expect(process.memoryUsage().arrayBuffers - before).toBeGreaterThan(150 * 2 ** 20);
    held = undefined;
    collectGarbage();
    expect(held).toBeUndefined();
    // Given back as V8 sweeps, on threads of its own: with nothing allocated meanwhile, no other collection does it.
    await expect.poll(() => process.memoryUsage().arrayBuffers - before, { timeout: 10_000 }).toBeLessThan(8 * 2 ** 20);
    expect((globalThis as { gc?: unknown }).gc).toBeUndefined();
  });
});
