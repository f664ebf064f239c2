/**
 * A 5 MB manuscript builds: the article's text repeated, each copy's headings
 * numbered so that they stay distinct, into both editions.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeLargeManuscript } from '../../scripts/bench/large.js';
import { PROJECT_ROOT } from '../../scripts/base/project-root.js';
import { cli, tempDir } from '../support/cli.js';
import { expectEpubcheckClean, flattenOutline, foldSpace, openEpub, pdfInfo, pdfOutline, pdfPages, readableText, xhtmlText } from '../support/outputs.js';

const SIZE = 5 * 1024 * 1024;

describe('a 5 MB manuscript', () => {
  it('builds into a PDF and an EPUB that hold all of it', { timeout: 900_000 }, async () => {
    const dir = await tempDir();
    const manuscript = path.join(dir, 'long.md');
    // One edition: the three print editions of 2,000-odd pages would only repeat the same work.
    const { copies, lastHeading, lastParagraph } = await writeLargeManuscript(manuscript, SIZE, 'editions: [a4]\n');
    expect((await readFile(manuscript)).length).toBeGreaterThanOrEqual(SIZE);

    const { code, stderr } = await cli([manuscript, '--out', dir]);
    expect(code, stderr).toBe(0);

    const pdf = path.join(dir, 'the-many-benefits-of-foot-massage-a4.pdf');
    const pages = await pdfPages(pdf);
    expect(Number((await pdfInfo(pdf)).Pages)).toBe(pages.length);
    const headingsPerCopy = [...(await readFile(path.join(PROJECT_ROOT, 'manuscript', 'foot-massage.md'), 'utf8')).matchAll(/^#{2,} /gm)].length;
    expect(flattenOutline(await pdfOutline(pdf)).length).toBe(1 + copies * headingsPerCopy);
    expect(readableText(pages.slice(-3).join('\n'))).toContain(foldSpace(lastParagraph).slice(0, 120));

    const epub = path.join(dir, 'the-many-benefits-of-foot-massage.epub');
    const zip = await openEpub(epub);
    const chapterNumber = (name: string) => Number(/^OEBPS\/(\d+)-/.exec(name)?.[1] ?? NaN);
    const chapters = Object.keys(zip.files).filter((name) => /^OEBPS\/\d+-.+\.xhtml$/.test(name)).sort((a, b) => chapterNumber(a) - chapterNumber(b));
    const last = xhtmlText(await zip.file(chapters.at(-1)!)!.async('string'));
    expect(last).toContain(lastHeading);
    expect(last).toContain(foldSpace(lastParagraph).slice(0, 120));
    await expectEpubcheckClean(epub, { allowWarnings: true });
  });
});
