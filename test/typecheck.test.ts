/**
 * The type check, `tsc --noEmit` in strict mode over scripts/, test/ and the vitest configurations
 * (tsconfig.json), is part of `npm test`: run as one of its tests, it takes a core while the other
 * files run, instead of the two cores' time before any of them starts. `npm run typecheck` runs it alone.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../scripts/base/project-root.js';

const run = promisify(execFile);

describe('the type check', () => {
  it('finds no error', async () => {
    const tsc = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'tsc');
    const { code, stdout } = await run(tsc, ['--noEmit', '--pretty', 'false'], { cwd: PROJECT_ROOT, maxBuffer: 16 * 1024 * 1024 }).then(
      ({ stdout }) => ({ code: 0, stdout }),
      (failed: { code: number; stdout: string }) => failed,
    );
    expect(stdout).toBe('');
    expect(code).toBe(0);
  });
});
