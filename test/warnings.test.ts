import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, fixture, tempDir } from './support/cli.js';
import { pdfPages, readableText } from './support/outputs.js';
import { PROJECT_ROOT } from '../scripts/base/project-root.js';

const article = fixture('warnings/article.md');
const expectedWarnings = [
  /article\.md:12:1: warning image without alt text: images\/dot\.png\n  Describe the image/,
  /article\.md:16:1: warning heading level skipped: h2 then h4\n  Use ### here/,
  /article\.md:20:1: warning duplicate heading: Before you start\n  Also used at .*article\.md:14/,
];

describe('warnings', () => {
  it('are printed with file, line and column, and the outputs are still written', async () => {
    const out = await tempDir();
    const { code, stderr } = await cli([article, '--out', out, '--format', 'pdf']);
    expect(code, stderr).toBe(0);
    for (const warning of expectedWarnings) expect(stderr).toMatch(warning);
    expect(stderr.match(/: warning /g)).toHaveLength(expectedWarnings.length);
    expect(readableText((await pdfPages(path.join(out, 'a-handout-with-warnings-a4.pdf'))).join('\n'))).toContain('Text under a heading used twice.');
  });

  it('stop a --strict build before anything is written', async () => {
    const out = await tempDir();
    const { code, stdout, stderr } = await cli([article, '--out', out, '--format', 'pdf', '--strict']);
    expect(code).toBe(1);
    for (const warning of expectedWarnings) expect(stderr).toMatch(warning);
    expect(stderr).toContain('3 warnings with --strict: nothing written');
    expect(stdout).toBe('');
    expect(await readdir(out)).toEqual([]);
  });

  it('are none for the article, so it builds with --strict', async () => {
    const out = await tempDir();
    const { code, stderr } = await cli([path.join(PROJECT_ROOT, 'manuscript'), '--out', out, '--format', 'epub', '--strict']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect((await readdir(out)).sort()).toEqual(['the-many-benefits-of-foot-massage.epub']);
  });
});
