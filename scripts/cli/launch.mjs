/**
 * Run one of the project's TypeScript command-line scripts (`node scripts/cli/launch.mjs build …`)
 * as one bundled JavaScript file (bundle.mjs). Loading is a large part of a short build:
 * bundled into one file, Node no longer resolves and reads hundreds of small package files,
 * and with V8's compiled code of the bundle kept from an earlier run it compiles almost
 * nothing. Node 20, which the project supports, has no compile cache of its own for modules.
 * The numbers, and the comparison with tsx and Node 22's compile cache: docs/performance.md.
 */
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bundleFiles, bundleScript, compileBundle } from './bundle.mjs';

const scripts = path.dirname(fileURLToPath(import.meta.url));
const [name, ...args] = process.argv.slice(2);
const entry = path.join(scripts, `${name}.ts`);
if (!name || !existsSync(entry)) {
  process.stderr.write(`error no script scripts/cli/${name ?? ''}.ts\n  Run one of: build, check, dev, review, translation, worker.\n`);
  process.exit(1);
}

const { bundle, compiled, outdated } = bundleFiles(name);
if (!existsSync(bundle)) {
  // Written under a name of its own and renamed: a second build starting meanwhile never reads half a bundle.
  const partial = `${bundle}.${process.pid}.tmp`;
  await bundleScript(entry, partial);
  renameSync(partial, bundle);
  for (const file of outdated()) rmSync(file, { force: true });
}

const cachedData = existsSync(compiled) ? readFileSync(compiled) : undefined;
const script = compileBundle(bundle, cachedData);
// The compiled code is kept from the first run that did its work: it then holds the functions a build
// runs, not only those that start it (a `--help` compiles only those).
if ((!cachedData || script.cachedDataRejected) && !args.includes('--help')) {
  process.once('exit', (code) => {
    if (code !== 0) return;
    const partial = `${compiled}.${process.pid}.tmp`;
    try {
      writeFileSync(partial, script.createCachedData());
      renameSync(partial, compiled);
    } catch {
      // Only a cache: without it, the next run compiles the bundle again.
      rmSync(partial, { force: true });
    }
  });
}
// The script runs its main only when it is the program (run-main.ts): it is, through us.
process.argv = [process.argv[0], bundle, ...args];
const module = { exports: {} };
script.runInThisContext()(createRequire(bundle), module, module.exports, bundle, path.dirname(bundle), pathToFileURL(bundle).href);
