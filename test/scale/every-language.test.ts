/**
 * EPUBCheck and Ace by DAISY on the EPUB of every language of test/fixtures/every-language/
 * (test/every-language.test.ts checks the rest of each, and these two on the most complex scripts): each run
 * starts a JVM or a browser of its own, and 26 of each are too long for `npm test`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { build } from '../../scripts/build.js';
import { EVERY_LANGUAGE_SOURCE, FIXTURE_LANGUAGES, fixtureStem } from '../support/every-language.js';
import { expectAcePasses, expectEpubcheckClean } from '../support/outputs.js';

let outDir: string;

beforeAll(async () => {
  outDir = await mkdtemp(path.join(os.tmpdir(), 'press-every-language-ace-'));
  await build({ input: EVERY_LANGUAGE_SOURCE, outDir, formats: ['epub'], buildTime: new Date(1_700_000_000_000) });
}, 600_000);

afterAll(async () => {
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

describe.each(FIXTURE_LANGUAGES.map(({ lang }) => lang))('the %s EPUB', (lang) => {
  it('passes EPUBCheck with no error or warning', async () => {
    await expectEpubcheckClean(path.join(outDir, `${fixtureStem(lang)}.epub`));
  });

  it('passes Ace by DAISY with no violation', async () => {
    await expectAcePasses(path.join(outDir, `${fixtureStem(lang)}.epub`));
  }, 300_000);
});
