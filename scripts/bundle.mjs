/**
 * Bundle one of the project's command-line scripts with esbuild, as `scripts/launch.mjs`
 * runs it: one ES module with the packages it uses, Node's own modules left as imports.
 *
 * One package is changed on the way: unist-util-visit-parents names the function it makes
 * for every node it visits after that node (`node (element<p>)`), for stack traces.
 * V8 turns each such function into a slow dictionary object, and every remark and rehype
 * transform visits the whole tree: on the 300-page benchmark book that was 0.13 s of the
 * Markdown render and 0.04 s of the templates. The bundle leaves the names out.
 */
import { readFile } from 'node:fs/promises';

/** The statement that names each visitor, as unist-util-visit-parents 6 writes it. */
const NAMES_VISITOR = /Object\.defineProperty\(visit, 'name', \{[^}]*\}\)/;

/** unist-util-visit-parents' source without the statement that names each visitor; the same source if it has none. */
export function withoutVisitorNames(source) {
  return source.replace(NAMES_VISITOR, '');
}

const unnamedVisitors = {
  name: 'unnamed-visitors',
  setup(build) {
    build.onLoad({ filter: /[\\/]unist-util-visit-parents[\\/]lib[\\/]index\.js$/ }, async (args) => ({
      contents: withoutVisitorNames(await readFile(args.path, 'utf8')),
      loader: 'js',
    }));
  },
};

/** Bundle `entry` (a `.ts` file) into `outfile`. */
export async function bundleScript(entry, outfile) {
  const { build } = await import('esbuild');
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'error',
    plugins: [unnamedVisitors],
    // The CommonJS packages inside the bundle call require() for Node's own modules.
    banner: { js: "import { createRequire as createRequireForPackages } from 'node:module'; const require = createRequireForPackages(import.meta.url);" },
  });
}
