/**
 * Print that a plain-language reviewer signs off, read from the real PDFs with pdf.js and
 * pdf-lib: 12 pt ragged-right text on a 60–70 character measure, a text layer that searches
 * and copies as words (also when justified and hyphenated), large print at 16 pt or more
 * everywhere, nothing of the text lost on paper, and the rules of hyphenation kept when a
 * publication asks for justified setting.
 */
import { cp, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { build } from '../scripts/build.js';
import { loadManuscript } from '../scripts/manuscript/load.js';
import { renderMarkdown } from '../scripts/render/markdown.js';
import { applyTemplates } from '../scripts/render/publication.js';
import { PROJECT_ROOT } from '../scripts/base/project-root.js';
import { QR_QUIET_ZONE } from '../scripts/render/imprint.js';
import { BUILD_TIME, TORTURE, sharedBuild } from './support/shared-builds.js';
import { openEpub, pdfFonts, seedText } from './support/outputs.js';
import { bodyLines, bodyTextSize, flushRightShare, median, searchableText, textLines, textRuns, type TextLine, type TextRun } from './support/pdf-lines.js';
import { actualTexts, toUnicodeMaps } from './support/pdf-text-map.js';

const ARTICLE = path.join(PROJECT_ROOT, 'manuscript');
const pdfIn = (files: string[], edition: string) => files.find((file) => file.endsWith(`-${edition}.pdf`))!;
const article = (edition: string) => pdfIn(sharedBuild('article').files, edition);
const torture = (edition: string) => pdfIn(sharedBuild('torture').files, edition);

/** A copy of a manuscript folder whose front matter asks for justified, hyphenated setting. */
async function justifiedCopy(folder: string): Promise<string> {
  const copy = await mkdtemp(path.join(os.tmpdir(), 'press-justified-'));
  await cp(folder, copy, { recursive: true });
  const first = path.join(copy, (await readdir(copy)).filter((name) => name.endsWith('.md')).sort()[0]!);
  await writeFile(first, (await readFile(first, 'utf8')).replace(/^---\n/, '---\nalign: justify\n'));
  return copy;
}

async function buildPdfs(input: string): Promise<string[]> {
  const outDir = await mkdtemp(path.join(os.tmpdir(), 'press-typeset-'));
  return (await build({ input, outDir, formats: ['pdf'], buildTime: BUILD_TIME })).files.filter((file) => file.endsWith('.pdf'));
}

let justifiedArticle: string[];
let justifiedTorture: string[];
beforeAll(async () => {
  [justifiedArticle, justifiedTorture] = await Promise.all([buildPdfs(await justifiedCopy(ARTICLE)), buildPdfs(await justifiedCopy(TORTURE))]);
});

/** The Markdown of a manuscript folder, all files. */
async function sourceText(folder: string): Promise<string> {
  const names = (await readdir(folder)).filter((name) => name.endsWith('.md'));
  return (await Promise.all(names.map((name) => readFile(path.join(folder, name), 'utf8')))).join('\n');
}

/** Lines followed by the next line of their paragraph (one line step below): lines the measure fills. */
function fullLines(lines: TextLine[]): TextLine[] {
  return lines.filter((line, index) => {
    const next = lines[index + 1];
    return next !== undefined && next.page === line.page && next.baseline - line.baseline < line.size * 1.6;
  });
}

describe('the plain-language default of the standard editions', () => {
  it.each(['a4', 'letter'])('sets the article’s %s body at 12 pt or more, 60–70 characters a line, ragged right', async (edition) => {
    const runs = await textRuns(article(edition));
    expect(bodyTextSize(runs)).toBeGreaterThanOrEqual(12);
    const lines = bodyLines(runs);
    expect(lines.length).toBeGreaterThan(50);
    const characters = median(lines.map((line) => line.text.length));
    expect(characters).toBeGreaterThanOrEqual(60);
    expect(characters).toBeLessThanOrEqual(70);
    expect(flushRightShare(lines)).toBeLessThan(0.3);
  });

  it.each(['a4', 'letter'])('sets the torture book’s %s body the same, its full lines 60–70 characters', async (edition) => {
    const runs = await textRuns(torture(edition));
    expect(bodyTextSize(runs)).toBeGreaterThanOrEqual(12);
    const lines = bodyLines(runs);
    const characters = median(fullLines(lines).map((line) => line.text.length));
    expect(characters).toBeGreaterThanOrEqual(60);
    expect(characters).toBeLessThanOrEqual(70);
    expect(flushRightShare(lines)).toBeLessThan(0.3);
  });

  it('gives A4 and Letter the same measure', async () => {
    const widths = await Promise.all(['a4', 'letter'].map(async (edition) => {
      const lines = bodyLines(await textRuns(article(edition)));
      return Math.max(...lines.map((line) => line.right)) - Math.min(...lines.map((line) => line.left));
    }));
    expect(Math.abs(widths[0]! - widths[1]!)).toBeLessThan(6);
  });

  it('breaks no word at a line end by default (a compound may break after its own hyphen)', async () => {
    for (const [file, folder] of [[article('a4'), ARTICLE], [article('letter'), ARTICLE], [torture('a4'), TORTURE]] as const) {
      const compounds = new Set((await sourceText(folder)).match(/\p{L}+(?:-\p{L}+)+/gu));
      const lines = textLines(await textRuns(file));
      const broken = lines.flatMap((line, index) => {
        const head = /(\p{L}+)-$/u.exec(line.text)?.[1];
        const tail = /^\p{L}+/u.exec(lines[index + 1]?.text ?? '')?.[0];
        return head && tail && ![...compounds].some((compound) => compound.includes(`${head}-${tail}`)) ? [`${line.text} / ${tail}`] : [];
      });
      expect(broken, file).toEqual([]);
    }
  });

  it('justifies and hyphenates when the front matter says `align: justify`', async () => {
    for (const edition of ['a4', 'letter']) {
      const lines = bodyLines(await textRuns(pdfIn(justifiedArticle, edition)));
      expect(flushRightShare(lines), edition).toBeGreaterThan(0.5);
      expect(lines.filter((line) => /\p{L}-$/u.test(line.text)).length, edition).toBeGreaterThanOrEqual(3);
    }
    // Large print stays ragged right, whatever the front matter says.
    expect(flushRightShare(bodyLines(await textRuns(pdfIn(justifiedArticle, 'large-print'))))).toBeLessThan(0.3);
  });
});

describe('the text layer', () => {
  const editions = () => [
    ...sharedBuild('article').files,
    ...sharedBuild('torture').files,
    ...justifiedArticle,
    ...justifiedTorture,
  ].filter((file) => file.endsWith('.pdf'));

  it('reads with no soft hyphen and no U+0000, in pdf.js, in ActualText and in every font’s ToUnicode map', async () => {
    for (const file of editions()) {
      const text = (await textRuns(file)).map((run) => run.text).join('');
      expect(text, file).not.toMatch(/[\u00ad\0]/);
      expect((await actualTexts(file)).flat().filter((actual) => /[\u00ad\0]/.test(actual)), file).toEqual([]);
      for (const [font, map] of await toUnicodeMaps(file)) {
        expect([...map].filter(([, value]) => /[\0\ufeff\ufffe]/.test(value) || !value), `${file} ${font}`).toEqual([]);
      }
    }
  });

  it('finds every word of the client’s text by search, in every edition, justified or not', async () => {
    const { sentences, headings } = await seedText();
    const words = [...new Set(sentences.flatMap((sentence) => sentence.match(/\p{L}[\p{L}’'-]*\p{L}/gu) ?? []))];
    expect(words.length).toBeGreaterThan(300);
    for (const file of [...sharedBuild('article').files, ...justifiedArticle].filter((name) => name.endsWith('.pdf'))) {
      const runs = await textRuns(file);
      const [text, withCompounds] = [searchableText(runs), searchableText(runs, { joinCompounds: true })];
      expect(words.filter((word) => !text.includes(word) && !withCompounds.includes(word)), file).toEqual([]);
      // The word the issue searched for: every occurrence of the copy, none lost to a hidden character.
      expect(text.match(/circulation/gi)?.length, file).toBe([...sentences, ...headings].join(' ').match(/circulation/gi)?.length);
    }
  });

  it('maps ligatures to their letters', async () => {
    for (const file of [pdfIn(justifiedArticle, 'a4'), article('a4')]) {
      for (const [font, map] of await toUnicodeMaps(file)) {
        if (!font.includes('SourceSerif4')) continue;
        const ligatures = [...map.values()].filter((value) => /^(ff|fi|fl|ffi|ffl)$/.test(value));
        expect(ligatures.length, `${file} ${font}`).toBeGreaterThan(0);
      }
      expect(searchableText(await textRuns(file))).toContain('difficult');
    }
  });

  it('names each embedded face by the weight that prints', async () => {
    for (const file of editions()) {
      const names = (await pdfFonts(file)).map((font) => font.name);
      expect(names.filter((name) => /ExtraLight-(Regular|SemiBold|Bold)/.test(name)), file).toEqual([]);
    }
    // Chromium 143 (the bundled one) embeds some faces a second time, under the same name, from page 2 on.
    const faces = new Set((await pdfFonts(article('a4'))).map((font) => font.name.replace(/^[A-Z]{6}\+/, '')));
    expect([...faces].sort()).toEqual([
      'SourceSans3-Bold',
      'SourceSans3-Regular',
      'SourceSans3-SemiBold',
      'SourceSerif4-Regular',
    ]);
  });
});

describe('large print', () => {
  it.each([
    ['the article', () => article('large-print')],
    ['the torture book', () => torture('large-print')],
  ])('sets every piece of text of %s at 16 pt or more, its body at 18 pt', async (_, file) => {
    const runs = (await textRuns(file())).filter((run) => run.text.trim());
    expect(bodyTextSize(runs)).toBe(18);
    const small = runs.filter((run) => run.size < 16);
    expect(small.map((run) => `page ${run.page}: ${run.size} pt "${run.text}"`)).toEqual([]);
  });

  it('leaves no page holding only the last lines of a paragraph and the imprint', async () => {
    for (const file of [article('large-print'), torture('large-print'), article('a4'), article('letter')]) {
      const runs = await textRuns(file);
      const lastPage = runs.at(-1)!.page;
      const lines = bodyLines(runs).filter((line) => line.page === lastPage);
      // Either a paragraph or heading starts on the last page, or at least three lines of one end there.
      const continues = /^\p{Ll}/u.test(lines[0]?.text ?? '');
      expect(!continues || lines.length >= 3, `${file}: ${lines.map((line) => line.text).join(' / ')}`).toBe(true);
    }
  });
});

describe('nothing lost in print', () => {
  const allEditions = () => sharedBuild('torture').files.filter((file) => file.endsWith('.pdf'));

  it('prints the body of a <details> element, after its summary', async () => {
    for (const file of [...allEditions(), ...justifiedTorture]) {
      const text = searchableText(await textRuns(file));
      expect(text, file).toMatch(/More about raw HTML\s*Markdown inside a details element, with strong text\./);
    }
  });

  it('keeps a table column centred or right-aligned as the Markdown says, with tabular figures', async () => {
    for (const file of allEditions()) {
      const all = (await textRuns(file)).filter((run) => run.text.trim());
      const header = all.find((run) => run.text.trim() === 'Centre')!;
      // The table's runs: from its header row on, on its page.
      const runs = all.filter((run) => run.page === header.page && run.baseline >= header.baseline - 1);
      const cell = (text: string) => runs.find((run) => run.text.trim() === text)!;
      const centre = (run: TextRun) => (run.left + run.right) / 2;
      // The "Centre" column: header and cells share one centre line.
      const centred = ['Centre', 'code', 'em'].map((text) => centre(cell(text)));
      expect(Math.max(...centred) - Math.min(...centred), file).toBeLessThan(1);
      // The "Right" column: right edges in line; tabular figures make 1.50 and 20.00 as wide as their digits say.
      const right = ['Right', '1.50', '20.00', '300.25'].map((text) => cell(text).right);
      expect(Math.max(...right) - Math.min(...right), file).toBeLessThan(1);
      const width = (text: string) => cell(text).right - cell(text).left;
      expect(Math.abs(width('300.25') - width('20.00') - (width('20.00') - width('1.50'))), file).toBeLessThan(0.5);
    }
  });

  it('sets h4 to h6 no smaller than the body text', async () => {
    for (const file of allEditions()) {
      const runs = await textRuns(file);
      const body = bodyTextSize(runs);
      for (const heading of ['Fourth Level', 'Fifth Level', 'SIXTH LEVEL']) {
        const run = runs.find((candidate) => candidate.text.trim() === heading);
        expect(run, `${file}: ${heading}`).toBeDefined();
        expect(run!.size, `${file}: ${heading}`).toBeGreaterThanOrEqual(body);
      }
    }
  });

  it('keeps a lead-in paragraph that ends with a colon on the page of the block it introduces', async () => {
    for (const file of allEditions()) {
      const lines = textLines(await textRuns(file));
      for (const [leadIn, block] of [
        ['A fenced block with a language:', 'function greet'],
        ['A described PNG chart:', 'Chart title'],
        ['An indented block:', '<p>This is not HTML'],
      ] as const) {
        const at = lines.find((line) => line.text.startsWith(leadIn))!;
        const next = lines.find((line) => line.text.startsWith(block))!;
        expect(next.page, `${file}: ${leadIn}`).toBe(at.page);
      }
    }
  });

  it('prints links in colour with the address of an external link after it, a bare address once', async () => {
    for (const file of allEditions()) {
      const text = searchableText(await textRuns(file));
      expect(text, file).toMatch(/an external site \(example\.com\/path\?\s?query=1&other=2\)/);
      expect(text, file).toContain('the reference (example.com/reference)');
      expect(text.match(/example\.org/g), file).toHaveLength(1);
      expect(text.match(/www\.example\.net/g), file).toHaveLength(1);
      // A link inside the book prints no address.
      expect(text, file).toMatch(/the images\./);
    }
  });

  it('sets the imprint and the disclaimer at 9.5 pt or more in the standard editions', async () => {
    for (const file of [article('a4'), article('letter')]) {
      const runs = await textRuns(file);
      const lastPage = runs.at(-1)!.page;
      const lines = textLines(runs.filter((run) => run.page === lastPage));
      const start = lines.findIndex((line) => line.text.startsWith('Home Massage Health Library'));
      const imprint = lines.slice(start).filter((line) => !/^\d+ \/ \d+$/.test(line.text));
      expect(imprint.some((line) => line.text.includes('Medical disclaimer.'))).toBe(true);
      for (const line of imprint) expect(line.size, `${file}: "${line.text}"`).toBeGreaterThanOrEqual(9.5);
    }
  });
});

describe('justified setting', () => {
  /** A word broken at a page's last line: a letter and a hyphen at its end, the next page going on in lower case. */
  function pageTurnBreaks(lines: TextLine[]): string[] {
    return lines.flatMap((line, index) => {
      const next = lines[index + 1];
      const lastOfPage = next !== undefined && next.page !== line.page;
      return lastOfPage && /\p{L}-$/u.test(line.text) && /^\p{Ll}/u.test(next.text) ? [`${line.text} / ${next.text}`] : [];
    });
  }

  it('breaks no word across a page turn, and sets no more than two hyphenated lines in a row', async () => {
    for (const file of [...justifiedArticle, ...justifiedTorture].filter((name) => /-(a4|letter)\.pdf$/.test(name))) {
      const lines = bodyLines(await textRuns(file));
      expect(pageTurnBreaks(lines), file).toEqual([]);
      const ladders = lines.filter((_, index) => index >= 2 && [0, 1, 2].every((back) => /\p{L}-$/u.test(lines[index - back]!.text)));
      expect(ladders.map((line) => line.text), file).toEqual([]);
    }
  });
});

describe('the imprint’s QR code', () => {
  it('has a white quiet zone of four modules on every side, as the QR standard asks', async () => {
    expect(QR_QUIET_ZONE).toBe(4);
    const manuscript = await loadManuscript(ARTICLE);
    const publication = await applyTemplates(await renderMarkdown(manuscript), manuscript.metadata, BUILD_TIME, manuscript);
    for (const edition of publication.print.editions) {
      const svg = /<svg [^>]*class="qr-code"[\s\S]*?<\/svg>/.exec(edition.html)![0];
      const size = Number(/viewBox="0 0 (\d+) \1"/.exec(svg)![1]);
      expect(svg, 'a white ground under the whole code').toContain(`<path fill="#ffffff" d="M0 0h${size}v${size}H0z"/>`);
      // The dark modules: horizontal strokes one module high, drawn by M (absolute), m (relative) and h.
      const path = /<path stroke="#000000" d="([^"]+)"/.exec(svg)![1]!;
      let [x, y] = [0, 0];
      const drawn = { left: Infinity, right: -Infinity, top: Infinity, bottom: -Infinity };
      for (const [, command, a, b] of path.matchAll(/([Mmh])(-?[\d.]+)(?: (-?[\d.]+))?/g)) {
        if (command === 'M') [x, y] = [Number(a), Number(b)];
        else if (command === 'm') [x, y] = [x + Number(a), y + Number(b)];
        else {
          drawn.left = Math.min(drawn.left, x);
          drawn.right = Math.max(drawn.right, (x += Number(a)));
          drawn.top = Math.min(drawn.top, y - 0.5);
          drawn.bottom = Math.max(drawn.bottom, y + 0.5);
        }
      }
      expect(drawn, edition.id).toEqual({ left: QR_QUIET_ZONE, right: size - QR_QUIET_ZONE, top: QR_QUIET_ZONE, bottom: size - QR_QUIET_ZONE });
    }
  });
});

describe('the article’s EPUB', () => {
  it('packs only the faces its text uses: no italic or bold of the text face, which it never sets', async () => {
    const zip = await openEpub(sharedBuild('article').files.find((file) => file.endsWith('.epub'))!);
    const fonts = Object.keys(zip.files).filter((name) => name.startsWith('OEBPS/fonts/') && name.endsWith('.woff2')).map((name) => path.basename(name)).sort();
    expect(fonts).toEqual([
      'source-sans-3-latin-400-normal.woff2',
      'source-sans-3-latin-600-normal.woff2',
      'source-sans-3-latin-700-normal.woff2',
      'source-serif-4-latin-400-normal.woff2',
    ]);
  });
});
