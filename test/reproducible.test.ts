/**
 * With SOURCE_DATE_EPOCH set, two clean builds of the same manuscript give
 * byte-identical files: EPUB (zip entry dates, dcterms:modified, image names,
 * identifier), PDF (dates, /ID, structure ids) and the web edition (pages, fonts, images).
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../scripts/base/project-root.js';
import { BUILD_TIME, TORTURE, sharedBuild, type SharedBuildName } from './support/shared-builds.js';
import { cli, tempDir } from './support/cli.js';
import { openEpub, opfMeta, pdfInfo, sha256 } from './support/outputs.js';
import { pdfFileId } from './support/pdf-structure.js';
import { writeBenchLibrary } from '../scripts/bench/library.js';

/** SOURCE_DATE_EPOCH for the command line: the time the global setup builds at (BUILD_TIME). */
const EPOCH = String(BUILD_TIME.getTime() / 1000);
const MANUSCRIPTS: [string, SharedBuildName, string][] = [
  ['the article', 'article', path.join(PROJECT_ROOT, 'manuscript')],
  ['the torture-test book', 'torture', TORTURE],
];

/** Each file of a build's folder, by its path, with the SHA-256 of its bytes: the web edition's fonts and images in their folders included. */
async function hashes(out: string): Promise<Map<string, string>> {
  const entries = await readdir(out, { recursive: true, withFileTypes: true });
  const names = entries.filter((entry) => entry.isFile()).map((entry) => path.relative(out, path.join(entry.parentPath, entry.name))).sort();
  return new Map(await Promise.all(names.map(async (name) => [path.join(out, name), sha256(await readFile(path.join(out, name)))] as const)));
}

async function cleanBuild(input: string): Promise<Map<string, string>> {
  const out = await tempDir('press-repro-');
  const { code, stderr } = await cli([input, '--out', out], { SOURCE_DATE_EPOCH: EPOCH });
  expect(code, stderr).toBe(0);
  return hashes(out);
}

describe('reproducible builds', () => {
  it.each(MANUSCRIPTS)('%s: two clean builds give byte-identical files: PDF, EPUB and the web edition', { timeout: 300_000 }, async (_, name, input) => {
    // One built by the global setup, in its process, beside five other builds sharing one browser; the other by
    // the command line, with a browser of its own, whenever this test runs: nothing may depend on how or when.
    const [first, second] = await Promise.all([hashes(sharedBuild(name).outDir), cleanBuild(input)]);
    const names = (build: Map<string, string>) => [...build.keys()].map((file) => path.basename(file));
    expect(names(first)).toEqual(names(second));
    expect(new Set(names(first).map((name) => path.extname(name)))).toEqual(new Set(['.epub', '.html', '.pdf', '.png', '.woff2', ...names(first).filter((name) => /\.(jpe?g|gif|svg)$/.test(name)).map((name) => path.extname(name))]));
    expect(names(first).filter((name) => name.endsWith('.pdf')).length).toBeGreaterThan(0);
    expect([...first.values()]).toEqual([...second.values()]);

    const epub = await openEpub([...first.keys()].find((file) => file.endsWith('.epub'))!);
    const stamp = new Date(Number(EPOCH) * 1000);
    for (const [name, entry] of Object.entries(epub.files)) expect(entry.date.toISOString(), name).toBe(stamp.toISOString());
    const meta = opfMeta(await epub.file('OEBPS/content.opf')!.async('string'));
    expect(meta.get('dcterms:modified')).toEqual(['2023-11-14T22:13:20Z']);

    const pdf = [...first.keys()].find((file) => file.endsWith('.pdf'))!;
    const info = await pdfInfo(pdf);
    expect(info['CreationDate']).toMatch(/^2023-11-14T22:13:20(Z|\+00:?00)?$/);
    expect(info['ModDate']).toMatch(/^2023-11-14T22:13:20(Z|\+00:?00)?$/);
    const id = await pdfFileId(pdf);
    expect(id).toHaveLength(2);
    for (const part of id) expect(part).toMatch(/^[0-9a-f]{32}$/);
  });

  it('derives a stable identifier from the title and authors when the front matter gives none', async () => {
    const epub = await openEpub(sharedBuild('torture').files.find((file) => file.endsWith('.epub'))!);
    const opf = await epub.file('OEBPS/content.opf')!.async('string');
    expect(opf).toMatch(/<dc:identifier id="pub-id">urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}<\/dc:identifier>/);
  });

  it('a leaflet built in a library (several at once, in several renderers, its thumbnail drawn with its cover) is byte-identical to it built alone', { timeout: 300_000 }, async () => {
    // Six leaflets: the article under six titles, in a library that adds nothing to their front matter.
    const library = await tempDir('press-repro-library-');
    const files = await writeBenchLibrary(library, 6);
    await writeFile(path.join(library, 'library.yaml'), 'title: Reproducible\n');
    const out = await tempDir('press-repro-');
    const built = await cli([library, '--out', out, '--jobs', '4'], { SOURCE_DATE_EPOCH: EPOCH });
    expect(built.code, built.stderr).toBe(0);
    expect(built.stdout).toMatch(/6 built/);
    const alone = await cleanBuild(files[3]!);
    const slug = path.basename([...alone.keys()].find((file) => file.endsWith('.epub'))!, '.epub');
    const published = [...alone].filter(([file]) => /\.(pdf|epub)$/.test(file));
    expect(published.length).toBe(4);
    for (const [file, hash] of published) expect(sha256(await readFile(path.join(out, slug, path.basename(file)))), path.basename(file)).toBe(hash);
  });
});

