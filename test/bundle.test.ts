import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleFiles, bundleScript, compileBundle, withoutVisitorNames } from '../scripts/bundle.mjs';
import { PROJECT_ROOT } from '../scripts/render/template.js';
import { cli, fixture, tempDir } from './support/cli.js';

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

  it("keeps V8's compiled code of the bundle from a build, and V8 takes it", async () => {
    const out = await tempDir();
    try {
      const built = await cli([fixture('handout/handout.md'), '--out', out, '--format', 'epub']);
      expect(built.code, built.stderr).toBe(0);
      const { bundle, compiled } = bundleFiles('build');
      expect(existsSync(compiled)).toBe(true);
      const script = compileBundle(bundle, await readFile(compiled));
      expect(script.cachedDataRejected).toBe(false);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});

