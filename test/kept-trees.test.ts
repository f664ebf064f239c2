/**
 * A manuscript file's tree kept in the project's cache (scripts/manuscript/kept-trees.ts): read back, not parsed
 * again, for the same text and the same code; parsed again for any other, and whenever the code has no name. The
 * trees used last are kept, within a number of files and of bytes (scripts/base/kept-files.ts).
 */
import { readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import v8 from 'node:v8';
import type { Root } from 'mdast';
import { VFile } from 'vfile';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../scripts/base/project-root.js';
import { keepFile, pruneKeptFiles } from '../scripts/base/kept-files.js';
import { BUNDLED_CODE, keptTree } from '../scripts/manuscript/kept-trees.js';
import { parseMarkdown } from '../scripts/manuscript/parse.js';
import { tempDir } from './support/cli.js';

const ARTICLE = await readFile(path.join(PROJECT_ROOT, 'manuscript', 'foot-massage.md'), 'utf8');

/** `parseMarkdown`, counting its calls. */
function countingParser() {
  const parser = { calls: 0, parse: (file: VFile) => ((parser.calls += 1), parseMarkdown(file)) };
  return parser;
}

const fileOf = (text: string) => new VFile({ path: 'foot-massage.md', value: text });

describe('keptTree', () => {
  it('reads a text parsed before by the same code back, as parsed, and as a tree of its own', async () => {
    const folder = await tempDir('press-trees-');
    const parser = countingParser();
    const first = await keptTree(fileOf(ARTICLE), parser.parse, { code: 'code-a', folder });
    expect(parser.calls).toBe(1);
    expect(await readdir(folder)).toHaveLength(1);
    const second = await keptTree(fileOf(ARTICLE), parser.parse, { code: 'code-a', folder });
    expect(parser.calls).toBe(1);
    expect(second).toEqual(parseMarkdown(fileOf(ARTICLE)));
    expect(second).toEqual(first);
    // The build changes the tree it is given (its transforms): what was read must not be what is kept.
    (second.children[0] as { type: string }).type = 'changed';
    expect((await keptTree(fileOf(ARTICLE), parser.parse, { code: 'code-a', folder })).children[0]!.type).toBe(first.children[0]!.type);
  });

  it('parses again for another text, or another code', async () => {
    const folder = await tempDir('press-trees-');
    const parser = countingParser();
    await keptTree(fileOf(ARTICLE), parser.parse, { code: 'code-a', folder });
    const edited = await keptTree(fileOf(ARTICLE.replace('Foot Massage', 'Hand Massage')), parser.parse, { code: 'code-a', folder });
    expect(parser.calls).toBe(2);
    expect(JSON.stringify(edited)).toContain('Hand Massage');
    await keptTree(fileOf(ARTICLE), parser.parse, { code: 'code-b', folder });
    expect(parser.calls).toBe(3);
    expect(await readdir(folder)).toHaveLength(3);
  });

  it('uses what is kept under the name, and parses again when that cannot be read', async () => {
    const folder = await tempDir('press-trees-');
    const parser = countingParser();
    await keptTree(fileOf(ARTICLE), parser.parse, { code: 'code-a', folder });
    const [name] = await readdir(folder);
    // Another tree under the article's name is what the next build gets: the name, not the parse, decides.
    const planted: Root = { type: 'root', children: [{ type: 'thematicBreak' }] };
    await writeFile(path.join(folder, name!), v8.serialize(planted));
    expect(await keptTree(fileOf(ARTICLE), parser.parse, { code: 'code-a', folder })).toEqual(planted);
    // Cut short (a disk that filled up): parsed again, and kept whole again.
    await writeFile(path.join(folder, name!), (await readFile(path.join(folder, name!))).subarray(0, 3));
    expect(await keptTree(fileOf(ARTICLE), parser.parse, { code: 'code-a', folder })).toEqual(parseMarkdown(fileOf(ARTICLE)));
    expect(parser.calls).toBe(2);
    expect(v8.deserialize(await readFile(path.join(folder, name!)))).toEqual(parseMarkdown(fileOf(ARTICLE)));
  });

  it('keeps nothing for code run from its sources, which has no name', async () => {
    const folder = await tempDir('press-trees-');
    const parser = countingParser();
    expect(BUNDLED_CODE).toBeUndefined();
    await keptTree(fileOf(ARTICLE), parser.parse, { folder });
    await keptTree(fileOf(ARTICLE), parser.parse, { folder });
    expect(parser.calls).toBe(2);
    await expect(readdir(folder)).resolves.toEqual([]);
  });
});

describe('the trees kept', () => {
  /** `count` files of `size` bytes in `folder`, the first used `count` minutes ago, the last one minute ago. */
  async function agedFiles(folder: string, count: number, size: number): Promise<void> {
    for (let index = 0; index < count; index++) {
      const file = path.join(folder, `old-${String(index).padStart(2, '0')}.v8`);
      await writeFile(file, Buffer.alloc(size));
      const at = Date.now() / 1000 - (count - index) * 60;
      await utimes(file, at, at);
    }
  }

  it('are the ones used last, within a number of files and of bytes, and always the one used last', async () => {
    const folder = await tempDir('press-trees-');
    await agedFiles(folder, 6, 100);
    await pruneKeptFiles(folder, { files: 5, bytes: 250 }, '.v8');
    expect((await readdir(folder)).sort()).toEqual(['old-04.v8', 'old-05.v8']);
    await pruneKeptFiles(folder, { files: 1 }, '.v8');
    expect(await readdir(folder)).toEqual(['old-05.v8']);
    await writeFile(path.join(folder, 'large.v8'), Buffer.alloc(1000));
    await pruneKeptFiles(folder, { files: 5, bytes: 250 }, '.v8');
    expect(await readdir(folder)).toEqual(['large.v8']);
  });

  it('are pruned on the first tree a process keeps, then once an eighth of the limit more is kept', async () => {
    const folder = await tempDir('press-trees-');
    await agedFiles(folder, 20, 10);
    const limits = { files: 16, bytes: 2 ** 20 };
    await keepFile(folder, 'new-1.v8', Buffer.alloc(10), limits);
    expect(await readdir(folder)).toHaveLength(16);
    await keepFile(folder, 'new-2.v8', Buffer.alloc(10), limits);
    expect(await readdir(folder)).toHaveLength(17);
    await keepFile(folder, 'new-3.v8', Buffer.alloc(10), limits);
    const left = await readdir(folder);
    expect(left).toHaveLength(16);
    expect(left).toEqual(expect.arrayContaining(['new-1.v8', 'new-2.v8', 'new-3.v8']));
    // An eighth of the bytes kept counts as well.
    await keepFile(folder, 'new-4.v8', Buffer.alloc(2 ** 17), limits);
    expect(await readdir(folder)).toHaveLength(16);
  });
});
