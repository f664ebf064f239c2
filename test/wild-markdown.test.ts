/**
 * Markdown from the wild (test/fixtures/probes/: a README-like folder with no
 * front matter, remote badges, repository links, HTML 4, unclosed HTML and
 * headings in any order) builds through the real CLI into a PDF and a valid
 * EPUB, with every problem reported once, at its place.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type JSZip from 'jszip';
import { VFileMessage } from 'vfile-message';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadManuscript } from '../scripts/manuscript/load.js';
import { renderMarkdown } from '../scripts/render/markdown.js';
import { formatReport, REPEATS_SHOWN } from '../scripts/base/problems.js';
import { TORTURE } from './support/shared-builds.js';
import { cli, fixture, runScript, tempDir, type ScriptResult } from './support/cli.js';
import { expectEpubcheckClean, openEpub, pdfPages, readableText, xhtmlText } from './support/outputs.js';
import { ncxEntries, xhtmlFaults } from './support/xhtml-structure.js';
import { buildEpub } from './support/wild-corpus.js';

const probes = fixture('probes');
const project = path.join(probes, '01-project.md');
let build: ScriptResult;
let out: string;
let zip: JSZip;
let chapters: Map<string, string>;
let source: string[];

beforeAll(async () => {
  out = await tempDir('press-wild-');
  build = await cli([probes, '--out', out]);
  zip = await openEpub(path.join(out, 'probe.epub'));
  chapters = new Map(
    await Promise.all(
      Object.keys(zip.files)
        .filter((name) => /^OEBPS\/\d\d-.+\.xhtml$/.test(name))
        .map(async (name): Promise<[string, string]> => [name, await zip.file(name)!.async('string')]),
    ),
  );
  source = (await readFile(project, 'utf8')).split('\n');
});

/** `file:line:column` of each problem line the CLI printed, in order. */
const places = (output: string) =>
  [...output.matchAll(/^(\S+?\.md):(\d+):(\d+): (error|warning) (.*)$/gm)].map(([, file, line, column, level, reason]) => ({
    file: path.basename(file!),
    line: Number(line),
    column: Number(column),
    level: level!,
    reason: reason!,
  }));
const allXhtml = () => [...chapters.values()].join('\n');
const lineOf = (text: string) => source.findIndex((line) => line.includes(text)) + 1;

describe('a README-like folder without front matter', () => {
  it('builds every output, its title from the first # heading, warning once for each field the outputs would like', async () => {
    expect(build.code, build.stderr).toBe(0);
    expect((await readdir(out)).sort()).toEqual(['cover.png', 'fonts', 'images', 'index.html', 'probe-a4.pdf', 'probe-large-print.pdf', 'probe-letter.pdf', 'probe.epub']);
    const opf = await zip.file('OEBPS/content.opf')!.async('string');
    expect(opf).toContain('<dc:title id="title">Probe</dc:title>');
    expect(opf).not.toContain('<dc:creator');
    const warnings = places(build.stderr);
    expect(warnings.filter((warning) => /^no (author|publisher):/.test(warning.reason))).toEqual([
      expect.objectContaining({ file: '01-project.md', line: 1, column: 1, reason: expect.stringMatching(/^no author: the PDF’s Author and the EPUB’s dc:creator/) }),
      expect.objectContaining({ file: '01-project.md', line: 1, column: 1, reason: expect.stringMatching(/^no publisher:/) }),
    ]);
  });

  it('reports every warning once, sorted by file, line and column, then counts them', () => {
    const warnings = places(build.stderr);
    const order = ['01-project.md', '02-guide.md'];
    const keys = warnings.map((warning) => [order.indexOf(warning.file), warning.line, warning.column]);
    expect(keys).toEqual([...keys].sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]! || a[2]! - b[2]!));
    expect(new Set(warnings.map((warning) => `${warning.line}:${warning.column}:${warning.reason}`)).size).toBe(warnings.length);
    expect(build.stderr.trimEnd().split('\n').at(-1)).toBe(`0 errors, ${warnings.length} warnings`);
  });

  it('leaves out each remote image with a warning at its place, showing its alt text, and drops a badge with none', async () => {
    const remote = source.flatMap((line, index) => [...line.matchAll(/!\[[^\]]*\]\((https:[^)]+)\)/g)].map((match) => ({ line: index + 1, column: match.index! + 1, url: match[1]! })));
    expect(remote.length).toBeGreaterThanOrEqual(3);
    const warned = places(build.stderr).filter((warning) => warning.reason.startsWith('remote image left out: '));
    expect(warned.map(({ line, column, reason }) => ({ line, column, url: reason.replace('remote image left out: ', '') }))).toEqual(remote);

    const xhtml = allXhtml();
    expect(xhtml).not.toMatch(/<img[^>]+src="https?:/);
    expect(xhtml).toContain('<a href="https://ci.example.com/probe">build status</a>');
    expect(xhtml).toContain('Downloads per week');
    expect(xhtml).not.toContain('https://shields.io'); // the badge with no alt text leaves no empty link
    const pdf = readableText((await pdfPages(path.join(out, 'probe-a4.pdf'))).join('\n'));
    expect(pdf).toContain('Downloads per week');
  });

  it('keeps the text of links to files outside the manuscript, resolves root-relative links to its own files, and links # to the top', () => {
    const warned = places(build.stderr).filter((warning) => warning.reason.startsWith('link to a file that is not part of the manuscript'));
    expect(warned.map((warning) => warning.reason.split(': ')[1])).toEqual(['LICENSE', '../src/index.ts']);
    for (const warning of warned) expect(source[warning.line - 1]!.slice(warning.column - 1)).toMatch(/^\[[^\]]+\]\(/);
    const xhtml = allXhtml();
    expect(xhtml).toContain('Read the licence, the source, <a href="');
    expect(xhtml).not.toMatch(/href="(LICENSE|\.\.\/src)/);
    const masthead = [...chapters.values()][0]!;
    const titleId = /<h1 id="([^"]+)"/.exec(masthead)![1]!;
    expect(masthead).toContain(`<a href="#${titleId}">back to the top</a>`);
  });

  it('points every link with a fragment at an id that exists: root-relative, <a name>, and an anchor in other letter case', () => {
    let checked = 0;
    for (const [name, xhtml] of chapters) {
      for (const [, href] of xhtml.matchAll(/ href="([^"]*#[^"]*)"/g)) {
        const [file, id] = href!.split('#') as [string, string];
        const target = file ? chapters.get(`OEBPS/${file}`) : xhtml;
        expect(target, `${name}: ${href}`).toContain(` id="${id}"`);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(6);
    expect(allXhtml()).toContain('<a id="old-anchor"></a>');
    expect(allXhtml()).toMatch(/<a href="[^"]*#make-it">Make It<\/a>/);
    // A link into another manuscript file (`/probes/02-guide.md#setting-up`) points into the book: at the chapter's
    // file, or, a short publication being one file (docs/typesetting.md), at the id alone.
    expect(allXhtml()).toMatch(/<a href="(\d\d-[a-z-]+\.xhtml)?#setting-up">the guide<\/a>/);
  });
});

describe('the EPUB of Markdown from the wild', () => {
  it('passes epubcheck with no error or warning', async () => {
    await expectEpubcheckClean(path.join(out, 'probe.epub'));
  });

  it('has no phrasing element holding a block, and no id twice or empty', async () => {
    expect(await xhtmlFaults(zip)).toEqual({ blocksInPhrasing: [], badIds: [] });
    expect(allXhtml()).toMatch(/<p><b>An unclosed bold before a table<\/b><\/p>\s*<table>/);
  });

  it('writes presentational HTML 4 attributes as CSS and drops the rest with a warning', () => {
    const xhtml = allXhtml();
    expect(xhtml).not.toMatch(/ (align|valign|nowrap|noshade|bgcolor|size)=/);
    expect(xhtml).not.toMatch(/<img [^>]*width="50%"/);
    expect(xhtml).toContain('<td style="vertical-align: top; width: 40%; white-space: nowrap">A cell</td>');
    expect(xhtml).toContain('<td style="text-align: right">Another</td>');
    expect(xhtml).toMatch(/<img src="images\/logo\.png" alt="The probe's logo" style="width: 50%"\/>/);
    expect(xhtml).toContain('<s>Struck</s> and <code>typewriter</code>');
    expect(places(build.stderr)).toContainEqual(expect.objectContaining({ line: lineOf('<hr noshade'), reason: 'obsolete HTML attributes removed: <hr noshade size="1">' }));
  });

  it('sets the title heading as XHTML, its image packed', async () => {
    const masthead = /<h1 id="[^"]+">(.*)<\/h1>/.exec([...chapters.values()][0]!)![1]!;
    expect(masthead).toMatch(/^Probe <img src="images\/logo\.png" alt="logo"\/> <a href="https:\/\/ci\.example\.com\/probe">build status<\/a>$/);
    expect(zip.file('OEBPS/images/logo.png')).not.toBeNull();
  });

  it('gives a heading whose slug an author’s anchor uses the next number, and each of two like headings its own', () => {
    const xhtml = allXhtml();
    expect(xhtml).toContain('<a id="usage"></a>');
    expect(xhtml).toContain('<h2 id="usage-1">Usage</h2>');
    expect(xhtml).toContain('<h2 id="usage-2">Usage</h2>');
  });

  it('ends an HTML block never closed where it was written, so the next section is a chapter of its own', () => {
    const makeIt = [...chapters.entries()].find(([, xhtml]) => xhtml.includes('<h2 id="make-it">'));
    expect(makeIt).toBeDefined();
    expect(makeIt![1]).toMatch(/<section epub:type="chapter" role="doc-chapter" aria-labelledby="make-it">\s*<h2 id="make-it">/);
    expect(allXhtml()).toContain('An HTML block that is never closed.</div>');
  });

  it('leaves out an empty heading with a warning, and gives the NCX one labelled entry for each target, in order', async () => {
    expect(places(build.stderr)).toContainEqual(expect.objectContaining({ line: source.indexOf('##') + 1, reason: expect.stringMatching(/^empty heading left out/) }));
    expect(allXhtml()).not.toMatch(/<h[1-6][^>]*><\/h[1-6]>/);
    const entries = await ncxEntries(zip);
    expect(entries.length).toBeGreaterThan(5);
    expect(entries.map((entry) => entry.playOrder)).toEqual(entries.map((_, index) => index + 1));
    expect(new Set(entries.map((entry) => entry.src)).size).toBe(entries.length);
    for (const entry of entries) expect(entry.label.trim(), entry.src).not.toBe('');
  });

  it('keeps quotes the author escaped straight, and curls the others', () => {
    const text = xhtmlText(allXhtml());
    expect(text).toContain('He said "straight" and it\'s still straight; “these” are curly.');
  });

  it('warns about a duplicate heading only among headings under the same heading', () => {
    const duplicates = places(build.stderr).filter((warning) => warning.reason.startsWith('duplicate heading'));
    expect(duplicates.map((warning) => [warning.file, warning.line, warning.reason])).toEqual([['01-project.md', source.lastIndexOf('## Usage') + 1, 'duplicate heading: Usage']]);
  });
});

describe('warnings that would be noise', () => {
  it('are not given for the sections of a book’s chapters that share their names', async () => {
    const folder = await tempDir('press-book-');
    const chapter = (n: number) => `# Chapter ${n}\n\n## Exercises\n\nStretch.\n\n## Notes\n\nRest.\n`;
    await writeFile(path.join(folder, 'book.md'), `---\ntitle: A book\nauthor: A\npublisher: B\nchapterLevel: 1\n---\n\n${[1, 2, 3, 4, 5].map(chapter).join('\n')}\n## Exercises\n\nAgain.\n`);
    const manuscript = await loadManuscript(folder);
    await renderMarkdown(manuscript);
    const messages = manuscript.files[0]!.file.messages;
    expect(messages.map((message) => `${message.line}: ${message.reason}`)).toEqual([`${String(await readFile(path.join(folder, 'book.md'), 'utf8')).split('\n').lastIndexOf('## Exercises') + 1}: duplicate heading: Exercises`]);
  });

  it('are not given for the “Footnotes” heading the author never wrote, and every warning has its line', async () => {
    const manuscript = await loadManuscript(TORTURE);
    await renderMarkdown(manuscript);
    const messages = manuscript.files.flatMap(({ file }) => file.messages);
    expect(messages.filter((message) => /footnote/i.test(message.reason))).toEqual([]);
    for (const message of messages) expect(message.line, String(message)).toBeGreaterThan(0);
  });

  it('that repeat are shown a few times, then counted, unless --verbose', () => {
    const warnings = Array.from({ length: REPEATS_SHOWN + 7 }, (_, index) => {
      const message = new VFileMessage('obsolete HTML attribute removed: <hr noshade>', { place: { line: index + 1, column: 1 }, ruleId: 'obsolete-html' });
      message.file = 'a.md';
      return message;
    });
    const other = new VFileMessage('heading level skipped: h2 then h4', { place: { line: 40, column: 1 }, ruleId: 'heading-level' });
    other.file = 'a.md';
    const report = formatReport([...warnings, other]).split('\n');
    expect(report.filter((line) => line.includes('noshade'))).toHaveLength(REPEATS_SHOWN);
    expect(report).toContain('  … and 7 more like this (`--verbose` lists them)');
    expect(report.indexOf('  … and 7 more like this (`--verbose` lists them)')).toBe(REPEATS_SHOWN);
    expect(report).toContain('a.md:40:1: warning heading level skipped: h2 then h4');
    expect(report.at(-2)).toBe(`0 errors, ${REPEATS_SHOWN + 8} warnings`);
    const verbose = formatReport([...warnings, other], { verbose: true }).split('\n');
    expect(verbose.filter((line) => line.includes('noshade'))).toHaveLength(REPEATS_SHOWN + 7);
    expect(verbose.join('\n')).not.toContain('more like this');
  });
});

describe('a file with thirty problems', () => {
  const thirty = fixture('bad/thirty-problems.md');

  it.each([
    ['npm run check', () => runScript('check', [thirty]), 'stdout'],
    ['npm run build', async () => cli([thirty, '--out', await tempDir()]), 'stderr'],
  ] as const)('%s lists all thirty, by line, and counts them', async (_, run, stream) => {
    const result = await run();
    expect(result.code).toBe(1);
    const listed = places(result[stream]);
    expect(listed).toHaveLength(30);
    const lines = listed.map((problem) => problem.line * 1000 + problem.column);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
    const errors = listed.filter((problem) => problem.level === 'error').length;
    expect(result[stream]).toContain(`\n${errors} errors, ${30 - errors} warnings\n`);
    expect(errors).toBeGreaterThan(10);
    expect(30 - errors).toBeGreaterThan(10);
  });
});

describe('root-relative links', () => {
  it('find the manuscript’s own file from the folder above, as on GitHub, and stay errors when their anchor is missing', async () => {
    const repository = await tempDir('press-repo-');
    const docs = path.join(repository, 'docs');
    await mkdir(docs);
    await writeFile(path.join(docs, '01-api.md'), '# API\n\nSee [child loggers](/docs/02-child-loggers.md) and [the options](/docs/02-child-loggers.md#no-such-options).\n');
    await writeFile(path.join(docs, '02-child-loggers.md'), '## Child loggers\n\nText.\n');
    const manuscript = await loadManuscript(docs);
    const error = await renderMarkdown(manuscript).then(
      () => undefined,
      (thrown: unknown) => thrown as VFileMessage,
    );
    const links = manuscript.files[0]!.file.messages.filter((message) => message.ruleId === 'link');
    expect(links.map((message) => [message.reason, message.fatal])).toEqual([['link to a missing anchor: /docs/02-child-loggers.md#no-such-options', true]]);
    expect(error).toBe(links[0]);
  });
});

describe('a README whose title is an HTML <h1> with a logo', () => {
  it('is titled by the logo’s alt text, in the metadata, the masthead, the chapter and the contents, and passes epubcheck', async () => {
    const folder = await tempDir('press-logo-');
    await mkdir(path.join(folder, 'media'));
    await writeFile(path.join(folder, 'media', 'logo.png'), await readFile(path.join(probes, 'images', 'logo.png')));
    await writeFile(
      path.join(folder, 'readme.md'),
      '<h1 align="center">\n\t<br>\n\t<img width="320" src="media/logo.png" alt="Chalk">\n\t<br>\n</h1>\n\n> Terminal string styling done right\n\n## Install\n\nRun it.\n',
    );
    const epub = path.join(folder, 'chalk.epub');
    const result = await buildEpub(path.join(folder, 'readme.md'), epub);
    expect('written' in result).toBe(true);
    await expectEpubcheckClean(epub);
    const logoZip = await openEpub(epub);
    expect(await logoZip.file('OEBPS/content.opf')!.async('string')).toContain('<dc:title id="title">Chalk</dc:title>');
    const opening = Object.keys(logoZip.files).find((name) => /^OEBPS\/00-.+\.xhtml$/.test(name))!;
    const xhtml = await logoZip.file(opening)!.async('string');
    expect(xhtml).toContain('<title>Chalk</title>');
    expect(xhtml).toMatch(/<h1 id="chalk">\s*<br\/>\s*<img width="320" src="images\/logo\.png" alt="Chalk"\/>\s*<br\/>\s*<\/h1>/);
    expect((await ncxEntries(logoZip)).map((entry) => entry.label)).toEqual(['Chalk', 'Install', 'About this handout']);
  });
});
