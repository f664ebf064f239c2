/**
 * A changed template rebuilds every leaflet: the templates are part of each leaflet's hash. Their
 * text has not changed, so each leaflet's Markdown tree is read from the project's cache
 * (scripts/manuscript/kept-trees.ts), which only the command line's bundle keeps trees in.
 * Run in a copy of the project (its scripts, templates and styles; its packages linked, its
 * own cache), so that the template can change without touching the one other tests use.
 */
import { execFile } from 'node:child_process';
import { appendFile, cp, mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import v8 from 'node:v8';
import type { Root, Text } from 'mdast';
import { visit } from 'unist-util-visit';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../scripts/base/project-root.js';
import { tempDir } from './support/cli.js';
import { copyLibrary } from './support/library.js';
import { epubXhtml } from './support/outputs.js';

const run = promisify(execFile);

async function copyProject(): Promise<string> {
  const project = await tempDir('press-project-');
  for (const name of ['scripts', 'templates', 'styles', 'package.json']) await cp(path.join(PROJECT_ROOT, name), path.join(project, name), { recursive: true });
  await mkdir(path.join(project, 'node_modules'));
  for (const entry of await readdir(path.join(PROJECT_ROOT, 'node_modules'))) {
    if (entry !== '.cache') await symlink(path.join(PROJECT_ROOT, 'node_modules', entry), path.join(project, 'node_modules', entry));
  }
  return project;
}

const builtIn = (stdout: string) => [...stdout.matchAll(/^built (\S+) →/gm)].map((match) => match[1]).sort();

describe('a library after a change to a template', () => {
  it('rebuilds every leaflet, each from the Markdown tree the first build kept', { timeout: 300_000 }, async () => {
    const project = await copyProject();
    const { library, out } = await copyLibrary();
    const trees = path.join(project, 'node_modules', '.cache', 'massage-press', 'trees');
    const build = (...more: string[]) =>
      run(process.execPath, [path.join(project, 'scripts', 'cli', 'launch.mjs'), 'build', library, '--out', out, '--format', 'epub', ...more], {
        cwd: project,
        env: { ...process.env, CI: 'true', SOURCE_DATE_EPOCH: '1767225600' },
      });
    expect(builtIn((await build()).stdout)).toEqual(['back-care', 'calf-stretches.md', 'tired-feet.md']);
    const parsed = await epubsIn(out);
    expect(parsed.size).toBeGreaterThanOrEqual(3);
    expect((await readdir(trees)).length).toBeGreaterThanOrEqual(3);
    expect(builtIn((await build()).stdout)).toEqual([]);

    // Built again from the kept trees: the same bytes as from the Markdown.
    expect(builtIn((await build('--force')).stdout)).toEqual(['back-care', 'calf-stretches.md', 'tired-feet.md']);
    expect(await epubsIn(out)).toEqual(parsed);

    // A word changed in the tree kept for tired-feet.md, not in its text: the rebuild says it, so it read the tree.
    const kept = await readdir(trees);
    const tiredFeet = (await Promise.all(kept.map(async (name) => [name, v8.deserialize(await readFile(path.join(trees, name))) as Root] as const))).find(([, tree]) =>
      JSON.stringify(tree).includes('Tired feet ache'),
    );
    expect(tiredFeet).toBeDefined();
    const [name, tree] = tiredFeet!;
    visit(tree, 'text', (text: Text) => void (text.value = text.value.replace('Tired feet ache', 'Kept tree feet ache')));
    await writeFile(path.join(trees, name), v8.serialize(tree));

    await appendFile(path.join(project, 'templates', 'epub', 'chapter.xhtml.ejs'), '\n<!-- changed -->\n');
    const { stdout } = await build();
    expect(builtIn(stdout)).toEqual(['back-care', 'calf-stretches.md', 'tired-feet.md']);
    expect(stdout).toMatch(/^3 leaflets: 3 built, 0 failed, 0 unchanged/m);
    expect((await readdir(trees)).sort()).toEqual(kept.sort());
    const rebuilt = [...(await epubsIn(out))].find(([file]) => file.includes('tired-feet'));
    expect(rebuilt).toBeDefined();
    expect((await epubXhtml(await JSZip.loadAsync(rebuilt![1]))).join('\n')).toContain('Kept tree feet ache');
  });
});

/** Every EPUB under `folder`, by its path there. */
async function epubsIn(folder: string): Promise<Map<string, Buffer>> {
  const names = (await readdir(folder, { recursive: true })).filter((name) => name.endsWith('.epub')).sort();
  return new Map(await Promise.all(names.map(async (name) => [name, await readFile(path.join(folder, name))] as const)));
}
