/**
 * Justified, hyphenated setting (front matter `align: justify`) keeps the rules a careful
 * compositor keeps: the exceptions list stops known bad breaks, and no word is broken across
 * a page turn, in a third line in a row, or so that its end stands alone as a paragraph's last line.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { unified } from 'unified';
import type { Root } from 'hast';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'puppeteer-core';
import { launchBrowser } from '../scripts/browser/launch.js';
import { openLockedPage } from '../scripts/browser/locked-page.js';
import { loadManuscript } from '../scripts/manuscript/load.js';
import { renderMarkdown } from '../scripts/render/markdown.js';
import rehypeHyphenate from '../scripts/render/plugins/rehype-hyphenate.js';
import { applyTemplates, type Publication } from '../scripts/render/publication.js';
import { PROJECT_ROOT } from '../scripts/base/project-root.js';
import { brokenAgainstRules, printedLines, printKeepingHyphenationRules, withoutBreaks } from '../scripts/pdf-postprocess/hyphenation-rules.js';

const SOFT_HYPHEN = '\u00ad';

async function hyphenate(text: string, exceptions?: string[]): Promise<string> {
  const tree: Root = { type: 'root', children: [{ type: 'element', tagName: 'p', properties: {}, children: [{ type: 'text', value: text }] }] };
  const result = (await unified().use(rehypeHyphenate, { lang: 'en', exceptions }).run(tree)) as Root;
  return ((result.children[0] as { children: { value: string }[] }).children[0]!).value.replaceAll(SOFT_HYPHEN, '-');
}

describe('hyphenation exceptions', () => {
  it('never breaks the words a reader would stumble on, and takes more from the front matter', async () => {
    expect(await hyphenate('disease diseases legend')).toBe('disease diseases legend');
    expect(await hyphenate('therapist')).toBe('ther-a-pist');
    expect(await hyphenate('circulation Circulation')).toBe('cir-cu-la-tion Cir-cu-la-tion');
    expect(await hyphenate('circulation Circulation', ['circu-lation', 'lymphatic'])).toBe('circu-lation Circu-lation');
    expect(await hyphenate('lymphatic', ['lymphatic'])).toBe('lymphatic');
  });
});

describe('setting a word whole again', () => {
  it('takes the soft hyphens out of every occurrence of the word, in any case, and of no other word', () => {
    const html = `<p>Cir${SOFT_HYPHEN}cu${SOFT_HYPHEN}la${SOFT_HYPHEN}tion and cir${SOFT_HYPHEN}cu${SOFT_HYPHEN}la${SOFT_HYPHEN}tion, cir${SOFT_HYPHEN}cu${SOFT_HYPHEN}la${SOFT_HYPHEN}tions, in${SOFT_HYPHEN}som${SOFT_HYPHEN}nia</p>`;
    expect(withoutBreaks(html, new Set(['circulation']))).toBe(
      `<p>Circulation and circulation, cir${SOFT_HYPHEN}cu${SOFT_HYPHEN}la${SOFT_HYPHEN}tions, in${SOFT_HYPHEN}som${SOFT_HYPHEN}nia</p>`,
    );
  });
});

describe('printing justified text', () => {
  let browser: Browser;
  let publication: Publication;
  /** Chromium's own print of a page, before the build post-processes it. */
  const print = async (html: string) => {
    const page = await openLockedPage(browser, html, publication.print.resources);
    try {
      return await page.pdf({ preferCSSPageSize: true, printBackground: true, tagged: true });
    } finally {
      await page.close();
    }
  };

  beforeAll(async () => {
    // The article's text three times over, justified: ten pages with breaks at their feet.
    const article = await readFile(path.join(PROJECT_ROOT, 'manuscript', 'foot-massage.md'), 'utf8');
    const text = article.slice(article.indexOf('\n## '));
    const dir = await mkdtemp(path.join(os.tmpdir(), 'press-hyphenation-'));
    const file = path.join(dir, 'long.md');
    const parts = [1, 2, 3].map((part) => text.replaceAll('\n## ', `\n## Part ${part}: `));
    await writeFile(file, `---\ntitle: Hyphenation Rules\nauthor: Test\nalign: justify\neditions: [a4]\n---\n\n# Hyphenation Rules\n${parts.join('\n')}`);
    const manuscript = await loadManuscript(file);
    publication = await applyTemplates(await renderMarkdown(manuscript), manuscript.metadata, new Date(0), manuscript);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('prints again, with the words broken against the rules set whole, until none is', async () => {
    const [edition] = publication.print.editions;
    expect(edition!.justified).toBe(true);
    const first = await print(edition!.html);
    const lines = printedLines(first);
    expect(lines.filter((line) => line.broken).length, 'the text is hyphenated').toBeGreaterThan(20);
    // Left to Chromium, some word breaks against a rule: the test would prove nothing otherwise.
    const against = brokenAgainstRules(first);
    expect(against.length).toBeGreaterThan(0);

    const kept = printedLines(await printKeepingHyphenationRules(edition!.html, print));
    expect(kept.filter((line) => line.broken).length, 'still hyphenated').toBeGreaterThan(20);
    kept.forEach((line, index) => {
      if (!line.broken) return;
      const next = kept[index + 1]!;
      expect(next.page, `"${line.text}" ends page ${line.page}`).toBe(line.page);
      const ladder = kept.slice(Math.max(0, index - 2), index + 1);
      expect(ladder.length === 3 && ladder.every((earlier) => earlier.broken), `three in a row to "${line.text}"`).toBe(false);
      const after = kept[index + 2];
      const nextEndsParagraph = !after || after.page !== next.page || after.y - next.y > (next.y - line.y) * 1.2;
      expect(nextEndsParagraph && !/\s/.test(next.text.trim()), `runt "${next.text}" after "${line.text}"`).toBe(false);
    });
  });
});
