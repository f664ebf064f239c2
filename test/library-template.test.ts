/**
 * A changed template rebuilds every leaflet: the templates are part of each leaflet's hash.
 * Run in a copy of the project (its scripts, templates and styles; its packages linked, its
 * own cache), so that the template can change without touching the one other tests use.
 */
import { execFile } from 'node:child_process';
import { appendFile, cp, mkdir, readdir, symlink } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../scripts/base/project-root.js';
import { tempDir } from './support/cli.js';
import { copyLibrary } from './support/library.js';

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
  it('rebuilds every leaflet', { timeout: 300_000 }, async () => {
    const project = await copyProject();
    const { library, out } = await copyLibrary();
    const build = () =>
      run(process.execPath, [path.join(project, 'scripts', 'cli', 'launch.mjs'), 'build', library, '--out', out, '--format', 'epub'], {
        cwd: project,
        env: { ...process.env, CI: 'true' },
      });
    expect(builtIn((await build()).stdout)).toEqual(['back-care', 'calf-stretches.md', 'tired-feet.md']);
    expect(builtIn((await build()).stdout)).toEqual([]);
    await appendFile(path.join(project, 'templates', 'epub', 'chapter.xhtml.ejs'), '\n<!-- changed -->\n');
    const { stdout } = await build();
    expect(builtIn(stdout)).toEqual(['back-care', 'calf-stretches.md', 'tired-feet.md']);
    expect(stdout).toMatch(/^3 leaflets: 3 built, 0 failed, 0 unchanged/m);
  });
});
