import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, fixture, tempDir } from './support/cli.js';
import { earlierDist } from './support/earlier-dist.js';

const badFixtures = (await readdir(fixture('bad'))).filter((name) => name.endsWith('.md'));

describe('a bad manuscript', () => {
  it.each(badFixtures)('%s fails with its name in the message and leaves the earlier outputs as they were', async (name) => {
    const dist = await earlierDist();
    const { code, stderr } = await cli([fixture(`bad/${name}`), '--out', dist.dir]);
    expect(code).toBe(1);
    expect(stderr).toMatch(new RegExp(`bad/${name.replace('.', '\\.')}(:\\d+:\\d+)?: error `));
    expect(stderr).not.toMatch(/\n\s+at /); // no stack trace without --debug
    await dist.expectUnchanged();
  });

  it.each([
    ['missing-image.md', /missing-image\.md:10:1: error image not found: images\/no-such-photo\.png\n  No file at .*images\/no-such-photo\.png/],
    ['empty.md', /empty\.md: error the manuscript has no text\n  Write the article in the file \(below the front matter, if it has one\)/],
    ['front-matter-only.md', /front-matter-only\.md: error the manuscript has no text\n  Write the article in the file \(below the front matter, if it has one\)/],
    ['latin1.md', /latin1\.md:8:4: error the file is not valid UTF-8\n  Save the file with UTF-8 encoding/],
    ['bad-hyphenation-exception.md', /bad-hyphenation-exception\.md:5:24: error front matter `hyphenationExceptions\.1` must be one word, with a hyphen at each place it may break/],
  ])('%s is named with the place and what to do', async (name, expected) => {
    const { stderr } = await cli([fixture(`bad/${name}`), '--out', await tempDir()]);
    expect(stderr).toMatch(expected);
  });

  it('shows the stack trace only with --debug', async () => {
    const { code, stderr } = await cli([fixture('bad/wrong-type.md'), '--out', await tempDir(), '--debug']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/wrong-type\.md:4:7: error front matter `lang`/);
    const missing = await cli([path.join(await tempDir(), 'gone.md'), '--debug']);
    expect(missing.stderr).toMatch(/\n\s+at .+/);
  });
});

describe('a build that cannot finish', () => {
  it('without a browser leaves the earlier outputs as they were', async () => {
    const dist = await earlierDist();
    const { code, stderr } = await cli(['--out', dist.dir], { PUPPETEER_EXECUTABLE_PATH: '/nonexistent/chromium' });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^error PUPPETEER_EXECUTABLE_PATH names a file that does not exist/);
    // Reported once, as the build's error: no promise left to reject unhandled after it (the EPUB's page list waited for the failed print).
    expect(stderr).not.toMatch(/node:internal|triggerUncaughtException/);
    await dist.expectUnchanged();
  });

  it('into a folder that cannot be created names the folder', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'a-file'), 'not a folder');
    const out = path.join(dir, 'a-file', 'dist');
    const { code, stderr } = await cli(['--out', out, '--format', 'epub']);
    expect(code).toBe(1);
    expect(stderr).toContain(`${out}: error cannot write to the output folder: ENOTDIR`);
    expect(stderr).toContain('Choose a writable folder with --out');
  });

  it('into a folder where one output name is taken by a folder writes no output and leaves no temporary file', async () => {
    const dir = await tempDir();
    await mkdir(path.join(dir, 'the-many-benefits-of-foot-massage-a4.pdf'));
    const { code, stderr } = await cli(['--out', dir]);
    expect(code).toBe(1);
    expect(stderr).toContain(`${dir}: error cannot write to the output folder: a folder is in the way of the-many-benefits-of-foot-massage-a4.pdf`);
    expect(await readdir(dir)).toEqual(['the-many-benefits-of-foot-massage-a4.pdf']); // and no EPUB: all outputs or none
    expect(await readdir(path.join(dir, 'the-many-benefits-of-foot-massage-a4.pdf'))).toEqual([]);
  });
});
