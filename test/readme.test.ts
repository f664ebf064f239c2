import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { metadataSchema } from '../scripts/manuscript/metadata.js';
import { PROJECT_ROOT } from '../scripts/base/project-root.js';
import { defaultSchema } from 'rehype-sanitize';
import { safeHtmlSchema } from '../scripts/render/plugins/rehype-safe-html.js';

describe('README', () => {
  it('is short enough to read: under 20 kB, with how it works inside left to docs/', async () => {
    const readme = await readFile(path.join(PROJECT_ROOT, 'README.md'));
    expect(readme.byteLength).toBeLessThan(20_000);
    // Source paths are for contributors (docs/architecture.md), not for the people who write leaflets.
    expect(readme.toString('utf8').match(/\bscripts\/[\w/-]+\.(ts|mjs)\b/g) ?? []).toEqual([]);
  });

  it('documents every front-matter key with the schema’s own description', async () => {
    const readme = await readFile(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
    for (const [key, schema] of Object.entries(metadataSchema.shape)) {
      const row = readme.split('\n').find((line) => line.startsWith(`| \`${key}\` |`));
      expect(row, `README has no row for \`${key}\``).toBeDefined();
      expect(row).toContain(schema.description);
    }
  });
});

describe('README on raw HTML', () => {
  it('names every element the sanitizer keeps beyond GitHub’s schema, and those that fetch which it drops', async () => {
    const readme = await readFile(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### Raw HTML'), readme.indexOf('### Safety'));
    const kept = safeHtmlSchema.tagNames!.filter((name) => !defaultSchema.tagNames!.includes(name));
    const dropped = defaultSchema.tagNames!.filter((name) => !safeHtmlSchema.tagNames!.includes(name));
    expect(kept.length).toBeGreaterThan(0);
    for (const name of [...kept, ...dropped]) expect(section).toContain(`\`${name}\``);
  });
});
