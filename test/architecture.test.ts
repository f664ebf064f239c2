/**
 * The house stays in shape: dependency-cruiser reads every import under scripts/ and applies
 * the rules of .dependency-cruiser.cjs (no cycle, no import from a lower stage into a higher
 * one, entry points imported by nothing). The same rules are shown to catch a cycle and an
 * upward import planted in a copy of the scripts.
 */
import { execFile } from 'node:child_process';
import { appendFile, cp, mkdtemp, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../scripts/base/project-root.js';

const run = promisify(execFile);

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
  cycle?: { name: string }[];
}

/** Every rule broken under `root`'s scripts/, as dependency-cruiser reports them. */
async function violations(root: string): Promise<Violation[]> {
  const depcruise = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'depcruise');
  const { stdout } = await run(depcruise, ['scripts', '--config', '.dependency-cruiser.cjs', '--output-type', 'json'], { cwd: root, maxBuffer: 64 * 1024 * 1024 }).catch(
    (failed: { stdout?: string }) => ({ stdout: failed.stdout ?? '' }),
  );
  return (JSON.parse(stdout) as { summary: { violations: Violation[]; totalCruised: number } }).summary.violations;
}

describe('the dependencies between the scripts', () => {
  const copies: string[] = [];
  afterAll(() => Promise.all(copies.map((folder) => rm(folder, { recursive: true, force: true }))));

  it('have no cycle and no import from a lower stage into a higher one', async () => {
    const found = await violations(PROJECT_ROOT);
    expect(found.map((violation) => `${violation.rule.name}: ${violation.from} → ${violation.to}`)).toEqual([]);
  });

  it('would fail on a cycle, an upward import and an import of an entry point', async () => {
    const copy = await mkdtemp(path.join(os.tmpdir(), 'press-architecture-'));
    copies.push(copy);
    for (const name of ['scripts', 'tsconfig.json', '.dependency-cruiser.cjs', 'package.json']) await cp(path.join(PROJECT_ROOT, name), path.join(copy, name), { recursive: true });
    await symlink(path.join(PROJECT_ROOT, 'node_modules'), path.join(copy, 'node_modules'));
    // The ground floor reaching up to the flow (a cycle too: the flow imports it), and the library importing the CLI.
    await appendFile(path.join(copy, 'scripts', 'base', 'problems.ts'), "\nexport { build } from '../build.js';\n");
    await appendFile(path.join(copy, 'scripts', 'library', 'config.ts'), "\nexport { HELP } from '../cli/options.js';\n");
    const found = await violations(copy);
    const broken = (rule: string) => found.filter((violation) => violation.rule.name === rule).map((violation) => `${violation.from} → ${violation.to}`);
    expect(broken('not-into-a-higher-stage-from-base')).toContain('scripts/base/problems.ts → scripts/build.ts');
    expect(broken('no-circular').some((edge) => edge.startsWith('scripts/base/problems.ts → '))).toBe(true);
    expect(broken('entry-points-are-imported-by-nothing')).toContain('scripts/library/config.ts → scripts/cli/options.ts');
  });
});
