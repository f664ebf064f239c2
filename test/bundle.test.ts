import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleScript, withoutVisitorNames } from '../scripts/bundle.mjs';
import { PROJECT_ROOT } from '../scripts/render/template.js';

const NAMED_VISITOR = "Object.defineProperty(visit, 'name'";

describe('the bundle the CLI runs', () => {
  it('leaves out the visitor names of the installed unist-util-visit-parents', async () => {
    // Fails when an upgrade words the statement differently: the bundle would then name visitors again.
    const installed = createRequire(path.join(PROJECT_ROOT, 'node_modules', 'unist-util-visit', 'package.json')).resolve('unist-util-visit-parents');
    const source = await readFile(path.join(path.dirname(installed), 'lib', 'index.js'), 'utf8');
    expect(source).toContain(NAMED_VISITOR);
    const changed = withoutVisitorNames(source);
    expect(changed).not.toContain('defineProperty');
    expect(source.length - changed.length).toBeLessThan(200);
  });

  it('is bundled with the change', async () => {
    const folder = await mkdtemp(path.join(os.tmpdir(), 'press-bundle-'));
    try {
      const bundle = path.join(folder, 'build.mjs');
      await bundleScript(path.join(PROJECT_ROOT, 'scripts', 'build.ts'), bundle);
      const code = await readFile(bundle, 'utf8');
      expect(code).toContain('node_modules/unist-util-visit-parents/lib/index.js');
      expect(code).not.toMatch(/Object\.defineProperty\(visit\d*, "name"/);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
