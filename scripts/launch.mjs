/**
 * Run one of the project's TypeScript command-line scripts (`node scripts/launch.mjs build …`)
 * as plain JavaScript. tsx's loader hooks sit in front of every import, the packages' too,
 * and make the build spend about twice as long loading them (1.2 s against 0.6 s on two
 * cores). So our own code is bundled by esbuild, packages left as imports, into
 * node_modules/.cache/massage-press/, and bundled again whenever a file under scripts/ changes.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, version } from 'esbuild';

const scripts = path.dirname(fileURLToPath(import.meta.url));
const [name, ...args] = process.argv.slice(2);
const entry = path.join(scripts, `${name}.ts`);
if (!name || !existsSync(entry)) {
  process.stderr.write(`error no script scripts/${name ?? ''}.ts\n  Run one of: build, check, dev.\n`);
  process.exit(1);
}

/** Every TypeScript file under scripts/, by size and time of change: what the bundle was made from. */
function sourcesKey() {
  const hash = createHash('sha256').update(version);
  const walk = (folder) => {
    for (const entryName of readdirSync(folder).sort()) {
      const file = path.join(folder, entryName);
      const info = statSync(file);
      if (info.isDirectory()) walk(file);
      else if (file.endsWith('.ts')) hash.update(`${file}:${info.size}:${info.mtimeMs}\n`);
    }
  };
  walk(scripts);
  return hash.digest('hex').slice(0, 16);
}

const cache = path.join(scripts, '..', 'node_modules', '.cache', 'massage-press');
const bundle = path.join(cache, `${name}-${sourcesKey()}.mjs`);
if (!existsSync(bundle)) {
  await build({ entryPoints: [entry], outfile: bundle, bundle: true, packages: 'external', platform: 'node', format: 'esm', target: 'node20', logLevel: 'error' });
  // Bundles of older sources are never used again.
  for (const old of readdirSync(cache)) if (old.startsWith(`${name}-`) && path.join(cache, old) !== bundle) rmSync(path.join(cache, old), { force: true });
}
// The script runs its main only when it is the program (scripts/run-main.ts): it is, through us.
process.argv = [process.argv[0], bundle, ...args];
await import(pathToFileURL(bundle).href);
