/**
 * The library's review view (`--review-report`, dist/review.html): every leaflet by its next
 * review date, overdue first, with its owner; written only when asked, and never linked from the
 * public catalogue. The library is built as Word files only, which needs no browser.
 */
import { cp, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fromHtml } from 'hast-util-from-html';
import { select, selectAll } from 'hast-util-select';
import { toString } from 'hast-util-to-string';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixture, runScript, tempDir } from './support/cli.js';

/** SOURCE_DATE_EPOCH of 2026-03-01: the day the report is made. */
const TODAY = { SOURCE_DATE_EPOCH: '1772323200' };
let library: string;

/** The fixture library, its leaflets given review dates: one overdue, one due in a month, one current, one without. */
beforeAll(async () => {
  library = await tempDir('press-review-report-');
  await cp(fixture('library'), library, { recursive: true });
  const dates = async (file: string, keys: string) => {
    const text = await readFile(path.join(library, file), 'utf8');
    await writeFile(path.join(library, file), text.replace(/^---\n/, `---\n${keys}\n`));
  };
  await dates('calf-stretches.md', 'reviewed: 2023-01-10\nnextReview: 2026-01-10\nowner: Physiotherapy\nreviewedBy: Sam Lee, Physiotherapist\nversion: "4"');
  await dates('tired-feet.md', 'reviewed: 2023-04-01\nnextReview: 2026-04-01\nowner: Community Nursing');
  await dates('back-care/01-back-care.md', 'reviewed: 2025-06-01\nnextReview: 2028-06-01\nowner: Physiotherapy\nleafletId: PI-0100');
});

describe('a library built with --review-report', () => {
  it('lists every leaflet by next review date, overdue first, with its status in words and its owner', async () => {
    const out = await tempDir('press-review-report-out-');
    const result = await runScript('build', [library, '--out', out, '--format', 'docx,web', '--review-report'], TODAY);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('review.html');
    const tree = fromHtml(await readFile(path.join(out, 'review.html'), 'utf8'));
    const rows = selectAll('tbody tr', tree).map((row) => selectAll('th, td', row).map((cell) => toString(cell).replace(/\s+/g, ' ').trim()));
    expect(rows.map((row) => row.slice(0, 4))).toEqual([
      ['Gentle Calf Stretches', '10 January 2026', 'Overdue by 50 days', 'Physiotherapy'],
      ['Caring for Tired Feet', '1 April 2026', 'Due in 31 days', 'Community Nursing'],
      ['Looking After Your Back PI-0100', '1 June 2028', 'Current', 'Physiotherapy'],
    ]);
    expect(rows[0]!.slice(4)).toEqual(['10 January 2023', 'Sam Lee, Physiotherapist', '4']);
    expect(toString(select('.review-report-summary', tree)!)).toBe('1 overdue, 1 due within 90 days.');
    // Each title leads to the leaflet's page; the page is not for search engines.
    expect(selectAll('tbody th a', tree).map((link) => link.properties.href)).toEqual(['gentle-calf-stretches/index.html', 'caring-for-tired-feet/index.html', 'looking-after-your-back/index.html']);
    expect(select('meta[name="robots"]', tree)?.properties.content).toBe('noindex, nofollow');
    // The public catalogue does not link it.
    expect(await readFile(path.join(out, 'index.html'), 'utf8')).not.toContain('review.html');
  });

  it('is not written unless asked for, and is refused for a single publication', async () => {
    const out = await tempDir('press-review-report-out-');
    const result = await runScript('build', [library, '--out', out, '--format', 'docx'], TODAY);
    expect(result.code, result.stderr).toBe(0);
    expect(await readdir(out)).not.toContain('review.html');
    const single = await runScript('build', [path.join(library, 'tired-feet.md'), '--out', out, '--format', 'docx', '--review-report'], TODAY);
    expect(single.code).toBe(1);
    expect(single.stderr).toContain('--review-report is for a library');
  });
});
