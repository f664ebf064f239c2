/**
 * Run one of the project's TypeScript command-line scripts (`node scripts/launch.mjs build …`)
 * as one bundled JavaScript file. Loading is a large part of a short build: through tsx's
 * loader hooks the build spent 1.2 s importing its modules, as plain modules 0.65 s, and
 * bundled with the packages it uses, in one file, 0.3 s (two cores): Node resolves and
 * reads hundreds of small package files otherwise. esbuild writes the bundle to
 * node_modules/.cache/massage-press/ and bundles again whenever a file under scripts/
 * or the installed packages change.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const scripts = path.dirname(fileURLToPath(import.meta.url));
const [name, ...args] = process.argv.slice(2);
const entry = path.join(scripts, `${name}.ts`);
if (!name || !existsSync(entry)) {
  process.stderr.write(`error no script scripts/${name ?? ''}.ts\n  Run one of: build, check, dev.\n`);
  process.exit(1);
}

/** Every script under scripts/, by size and time of change, and the installed packages: what the bundle was made from. */
function sourcesKey() {
  // esbuild's version from its package file: loading esbuild itself took 40 ms of every run, and it is only needed to bundle.
  const esbuildPackage = createRequire(import.meta.url).resolve('esbuild/package.json');
  const hash = createHash('sha256').update(JSON.parse(readFileSync(esbuildPackage, 'utf8')).version);
  const lockfile = path.join(scripts, '..', 'node_modules', '.package-lock.json');
  if (existsSync(lockfile)) hash.update(`${statSync(lockfile).mtimeMs}\n`);
  const walk = (folder) => {
    for (const entryName of readdirSync(folder).sort()) {
      const file = path.join(folder, entryName);
      const info = statSync(file);
      if (info.isDirectory()) walk(file);
      else if (/\.(ts|mts|mjs)$/.test(file)) hash.update(`${file}:${info.size}:${info.mtimeMs}\n`);
    }
  };
  walk(scripts);
  return hash.digest('hex').slice(0, 16);
}

const cache = path.join(scripts, '..', 'node_modules', '.cache', 'massage-press');
const bundle = path.join(cache, `${name}-${sourcesKey()}.mjs`);
if (!existsSync(bundle)) {
  // Written under a name of its own and renamed: a second build starting meanwhile never imports half a bundle.
  const partial = `${bundle}.${process.pid}.tmp`;
  const { bundleScript } = await import('./bundle.mjs');
  await bundleScript(entry, partial);
  renameSync(partial, bundle);
  // Bundles of older sources are never used again.
  for (const old of readdirSync(cache)) if (old.startsWith(`${name}-`) && old.endsWith('.mjs') && path.join(cache, old) !== bundle) rmSync(path.join(cache, old), { force: true });
}
// The script runs its main only when it is the program (scripts/run-main.ts): it is, through us.
process.argv = [process.argv[0], bundle, ...args];
await import(pathToFileURL(bundle).href);
