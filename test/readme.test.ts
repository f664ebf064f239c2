import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { metadataSchema } from '../scripts/manuscript/metadata.js';
import { PROJECT_ROOT } from '../scripts/render/template.js';

describe('README', () => {
  it('documents every front-matter key with the schema’s own description', async () => {
    const readme = await readFile(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
    for (const [key, schema] of Object.entries(metadataSchema.shape)) {
      const row = readme.split('\n').find((line) => line.startsWith(`| \`${key}\` |`));
      expect(row, `README has no row for \`${key}\``).toBeDefined();
      expect(row).toContain(schema.description);
    }
  });
});
