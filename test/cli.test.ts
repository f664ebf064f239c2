import { readdir, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../scripts/base/project-root.js';
import { cli, fixture, startCli, tempDir } from './support/cli.js';
import { copyLibrary } from './support/library.js';

describe('the build CLI', () => {
  it('explains itself with --help', async () => {
    const { code, stdout } = await cli(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: npm run build');
    expect(stdout).toContain('--format');
    expect(stdout).toContain('PUPPETEER_EXECUTABLE_PATH');
  });

  it('builds only the formats asked for, into the folder asked for', async () => {
    const out = await tempDir();
    const { code, stdout } = await cli([path.join(PROJECT_ROOT, 'manuscript'), '--out', out, '--format', 'epub']);
    expect(code).toBe(0);
    expect(stdout).toContain('the-many-benefits-of-foot-massage.epub');
    expect((await readdir(out)).sort()).toEqual(['the-many-benefits-of-foot-massage.epub']);
  });

  it('goes on when what reads its output stops reading (`| head -1`): every leaflet built, and no crash', { timeout: 120_000 }, async () => {
    const { library, out } = await copyLibrary();
    const build = startCli([library, '--out', out, '--format', 'epub']);
    let stderr = '';
    build.stderr!.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
    // Closed after the first leaflet's line: the lines of the others meet a closed pipe.
    build.stdout!.once('data', () => build.stdout!.destroy());
    const [code] = (await once(build, 'exit')) as [number];
    expect(stderr).not.toMatch(/EPIPE|Unhandled/);
    expect(code).toBe(0);
    const epubs = (await readdir(out, { recursive: true })).filter((name) => name.endsWith('.epub'));
    expect(epubs).toHaveLength(3);
  });

  it('rejects an unknown format', async () => {
    const { code, stderr } = await cli(['--format', 'mobi']);
    expect(code).toBe(1);
    expect(stderr).toBe('error unknown format: mobi\n  Use --format with pdf, epub, web, docx.\n');
  });

  it('reports an unknown option as a usage error, not a crash', async () => {
    const { code, stderr } = await cli(['--colour']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^error Unknown option '--colour'/);
    expect(stderr).toContain('npm run build -- --help');
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('names a manuscript that does not exist', async () => {
    const { code, stderr } = await cli(['no-such-manuscript.md']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/no-such-manuscript\.md: error cannot read the manuscript/);
    expect(stderr).not.toMatch(/\n\s+at /); // no stack trace without --debug
  });

  it.each([
    ['malformed-front-matter.md', /malformed-front-matter\.md:4:1: error malformed front matter: Flow sequence in block collection must be sufficiently indented and end with a \]\n/],
    ['unknown-key.md', /unknown-key\.md:4:1: error unknown front matter key: colour/],
    ['wrong-type.md', /wrong-type\.md:4:7: error front matter `lang` Invalid input: expected string, received number/],
  ])('points at the bad line of %s', async (name, expected) => {
    const out = await tempDir();
    const { code, stderr } = await cli([fixture(`bad/${name}`), '--out', out]);
    expect(code).toBe(1);
    expect(stderr).toMatch(expected);
    expect(await readdir(out)).toEqual([]);
  });

  it('refuses a file that is not UTF-8, naming the line', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'latin1.md');
    await writeFile(file, Buffer.concat([Buffer.from('---\ntitle: T\nauthor: A\n---\n\nCaf'), Buffer.from([0xe9]), Buffer.from('\n')]));
    const { code, stderr } = await cli([file, '--out', dir]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/latin1\.md:6:4: error the file is not valid UTF-8/);
  });

  it('says how to get a browser when none is found', async () => {
    const out = await tempDir();
    const { code, stderr } = await cli(['--out', out, '--format', 'pdf'], { PUPPETEER_EXECUTABLE_PATH: '/nonexistent/chromium' });
    expect(code).toBe(1);
    expect(stderr).toContain('PUPPETEER_EXECUTABLE_PATH names a file that does not exist: /nonexistent/chromium');
    expect(stderr).toContain('apt-get install chromium');
    expect(await readdir(out)).toEqual([]);
  });
});
