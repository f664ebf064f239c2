/**
 * The corpus test: Markdown nobody here wrote, built with no front matter.
 *
 * - Every example of the CommonMark spec (the `commonmark-spec` package) is
 *   built alone; the ones that build are then built as four large manuscripts
 *   (one file per example, so each is parsed as it stands), whose EPUBs
 *   epubcheck must pass. Those that do not build must be refused for a certain
 *   mistake (a missing image, a broken anchor), not for being unusual.
 * - A dozen npm packages' READMEs (test/fixtures/wild/, licences beside them),
 *   with their badges, repository links and HTML, each built alone.
 *
 * Every EPUB written gives epubcheck 0 fatals and 0 errors. The counts are
 * printed, for the record.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ebookContent } from '../../scripts/render/ebook.js';
import { buildEpub, commonMarkExamples, render, writeExamples, type CommonMarkExample } from '../support/wild-corpus.js';
import { fixture, tempDir } from '../support/cli.js';
import { epubcheck } from '../support/outputs.js';

/** What may refuse a document: mistakes in it, each sure to be one. */
const CERTAIN_MISTAKE =
  /^(image not found|image outside the manuscript folder|unsupported image format|link to a missing anchor|link without a target|link to a file with no heading|the manuscript has no text)/;
const GROUPS = 4;
/** Hundreds of builds and several epubcheck runs: minutes on two busy cores. */
const CORPUS_TIMEOUT = 900_000;

/** epubcheck on each file (the run's EPUBCheck service checks them one after another): fatals and errors with their messages. */
async function epubcheckAll(files: string[]) {
  return Promise.all(
    files.map(async (file) => {
      const result = await epubcheck(file);
      const messages = result.messages.filter((message) => message.severity === 'FATAL' || message.severity === 'ERROR').map((m) => `${m.code} ${m.entry}:${m.line} ${m.text}`);
      return { file: path.basename(file), fatals: result.fatals, errors: result.errors, messages };
    }),
  );
}

describe('the CommonMark spec’s examples, without front matter', () => {
  it('each builds alone or is refused for a certain mistake; the EPUBs of all that build pass epubcheck', { timeout: CORPUS_TIMEOUT }, async () => {
    const examples = commonMarkExamples();
    expect(examples.length).toBeGreaterThan(600);
    const folder = await tempDir('press-commonmark-');
    const files = await writeExamples(path.join(folder, 'alone'), examples);
    const built: CommonMarkExample[] = [];
    const refusals: string[] = [];
    for (const [index, file] of files.entries()) {
      const rendered = await render(file);
      if (rendered.document) {
        built.push(examples[index]!);
        // The navigation of each, as the EPUB would have it: one entry per target, none without a label.
        const toc = ebookContent(rendered.document, rendered.manuscript.metadata, [], 'image/png').toc;
        const flat = (entries: typeof toc): typeof toc => entries.flatMap((entry) => [entry, ...flat(entry.children)]);
        const hrefs = flat(toc).map((entry) => entry.href);
        expect(new Set(hrefs).size, `example ${examples[index]!.number}: ${hrefs.join(' ')}`).toBe(hrefs.length);
        for (const entry of flat(toc)) expect(entry.text.trim(), `example ${examples[index]!.number}`).not.toBe('');
      } else {
        for (const message of rendered.refused!) refusals.push(`example ${examples[index]!.number}: ${message.reason}`);
      }
    }
    for (const refusal of refusals) expect(refusal.replace(/^example \d+: /, ''), refusal).toMatch(CERTAIN_MISTAKE);

    const size = Math.ceil(built.length / GROUPS);
    const epubs: string[] = [];
    for (let group = 0; group < GROUPS; group++) {
      const input = path.join(folder, `group-${group + 1}`);
      await writeExamples(input, built.slice(group * size, (group + 1) * size));
      const result = await buildEpub(input, path.join(folder, `group-${group + 1}.epub`));
      expect('refused' in result ? result.refused.map(String) : []).toEqual([]);
      if ('written' in result) epubs.push(result.written);
    }
    const checked = await epubcheckAll(epubs);
    expect(checked.filter((result) => result.fatals || result.errors)).toEqual([]);
    console.info(
      `CommonMark: ${examples.length} examples, ${built.length} built, ${examples.length - built.length} refused; ` +
        `${epubs.length} EPUBs of ${size} examples each: ${checked.reduce((sum, result) => sum + result.fatals, 0)} fatals, ${checked.reduce((sum, result) => sum + result.errors, 0)} errors`,
    );
  });
});

describe('a dozen READMEs from npm, without front matter', () => {
  it('each builds, or is refused for certain mistakes only, every one listed; every EPUB written passes epubcheck', { timeout: CORPUS_TIMEOUT }, async () => {
    const folder = fixture('wild');
    const names = (await readdir(folder)).filter((name) => name.endsWith('.md')).sort();
    expect(names.length).toBeGreaterThanOrEqual(12);
    const out = await tempDir('press-readmes-');
    const epubs: string[] = [];
    const refused: string[] = [];
    for (const name of names) {
      const result = await buildEpub(path.join(folder, name), path.join(out, name.replace(/\.md$/, '.epub')));
      if ('written' in result) {
        epubs.push(result.written);
        continue;
      }
      refused.push(`${name} (${result.refused.length})`);
      for (const message of result.refused) expect(message.reason, String(message)).toMatch(CERTAIN_MISTAKE);
    }
    const checked = await epubcheckAll(epubs);
    expect(checked.filter((result) => result.fatals || result.errors)).toEqual([]);
    console.info(
      `READMEs: ${names.length}, ${epubs.length} built, ${refused.length} refused (${refused.join(', ')}); ` +
        `epubcheck: ${checked.reduce((sum, result) => sum + result.fatals, 0)} fatals, ${checked.reduce((sum, result) => sum + result.errors, 0)} errors`,
    );
    expect(epubs.length).toBeGreaterThan(names.length / 2);
  });
});
