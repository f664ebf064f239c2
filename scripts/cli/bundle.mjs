/**
 * The bundle `scripts/cli/launch.mjs` runs for each command-line script: esbuild bundles
 * the script with the packages it uses into one CommonJS file in
 * node_modules/.cache/massage-press/, made again whenever a file under scripts/ or the
 * installed packages change, and V8's compiled code of it is kept next to it.
 *
 * - CommonJS, because Node 20 can reuse V8's compiled code between runs only for scripts
 *   (vm.Script), not for ES modules. `import.meta.url` becomes `__bundleUrl`, the
 *   bundle's URL, as it was in an ES module bundle.
 * - One package is changed on the way: unist-util-visit-parents names the function it
 *   makes for every node it visits after that node (`node (element<p>)`), for stack
 *   traces. V8 turns each such function into a slow dictionary object, and every remark
 *   and rehype transform visits the whole tree. The bundle leaves the names out.
 * - Packages that only serve what the build never does are left out (`LEFT_OUT`): puppeteer's
 *   browser downloads and their proxies (a JavaScript engine for proxy scripts among them),
 *   WebDriver BiDi, connecting over a WebSocket, and epub-gen-memory's fetching over HTTP: a
 *   large part of the bundle, read and compiled on every run for nothing. What is left in their
 *   place throws, naming the package, if it is ever used.
 * What each of these saves: docs/performance.md, "The launcher".
 * - BullMQ and ioredis (a library's queue) are not bundled but required from node_modules when a
 *   queue is used; nor is resvg (the cover's rasteriser), a native addon.
 * - harfbuzzjs (the PDF's text layer: fonts/glyph-texts.ts) starts its WebAssembly with a top-level
 *   await, which a CommonJS bundle cannot hold, and loads Node's `module` with a dynamic import,
 *   which a script compiled from V8's cached code cannot run (Node 20: "A dynamic import callback was
 *   not specified"). In the bundle it starts when first asked for (`ready`), from the .wasm file in
 *   node_modules, and takes `module` from process.getBuiltinModule.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const scripts = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const cache = path.join(scripts, '..', 'node_modules', '.cache', 'massage-press');

/** Every script under scripts/, by size and time of change, and the installed packages: what a bundle is made from. */
function sourcesKey() {
  // esbuild's version from its package file: loading esbuild itself would cost every run, and it is only needed to bundle.
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

/** Where the bundle of `scripts/<name>.ts` for the current sources is, V8's compiled code of it, and the files no longer needed. */
export function bundleFiles(name) {
  const key = sourcesKey();
  const bundle = path.join(cache, `${name}-${key}.cjs`);
  // Files of bundles of older sources: never used again.
  const isOutdated = (file) => !file.startsWith(`${name}-${key}.`) && /\.(mjs|cjs|v8)$/.test(file);
  // Half-written files of runs that were stopped (`….<pid>.tmp`, the process gone).
  const isAbandoned = (file) => {
    const pid = Number(/\.(\d+)\.tmp$/.exec(file)?.[1]);
    if (!pid) return false;
    try {
      process.kill(pid, 0);
      return false;
    } catch {
      return true;
    }
  };
  const outdated = () =>
    readdirSync(cache)
      .filter((file) => file.startsWith(`${name}-`) && (isOutdated(file) || isAbandoned(file)))
      .map((file) => path.join(cache, file));
  return { bundle, compiled: `${bundle}.v8`, outdated };
}

/** The statement that names each visitor, as unist-util-visit-parents 6 writes it. */
const NAMES_VISITOR = /Object\.defineProperty\(visit, 'name', \{[^}]*\}\)/;

/** unist-util-visit-parents' source without the statement that names each visitor; the same source if it has none. */
export function withoutVisitorNames(source) {
  return source.replace(NAMES_VISITOR, '');
}

/** An esbuild plugin that loads each file `filter` matches as `change(file, source)` makes it. */
const loadedChanged = (name, filter, change) => ({
  name,
  setup(build) {
    build.onLoad({ filter }, async (args) => ({ contents: change(args.path, await readFile(args.path, 'utf8')), loader: 'js' }));
  },
});

/**
 * `source`, the file `file` of the package `what`, with each `[from, to]` of `changes` made. Each `from` must
 * be there exactly once, or the bundle is not made: an upgrade that words it otherwise would lose the change
 * unseen. `see` names the function that says why the change is made.
 */
function changedSource(what, see, file, source, changes) {
  return changes.reduce((changed, [from, to]) => {
    if (changed.split(from).length !== 2) throw new Error(`scripts/cli/bundle.mjs: ${what} changed (${file} has no single \`${from}\`): see ${see}`);
    return changed.replace(from, to);
  }, source);
}

const unnamedVisitors = loadedChanged('unnamed-visitors', /[\\/]unist-util-visit-parents[\\/]lib[\\/]index\.js$/, (_, source) => withoutVisitorNames(source));

/**
 * Imported, but never used by the build: puppeteer downloads no browser (`proxy-agent`, `tar-fs`,
 * `extract-zip`, `yargs` for its command line), speaks CDP over a pipe (`chromium-bidi`, `ws`),
 * and epub-gen-memory reads every file it is given by its file:// URL (`node-fetch`).
 */
export const LEFT_OUT = /^(proxy-agent|chromium-bidi|yargs|ws|tar-fs|extract-zip|node-fetch)(\/.*)?$/;

/** What stands in for a package left out: any use of it throws an error that names it. */
function leftOutModule(name) {
  return `const fail = () => {
  throw new Error(${JSON.stringify(`${name} is left out of massage-press's bundle (scripts/cli/bundle.mjs): the build was not expected to use it`)});
};
// Whatever the importer reads of it at load time (a named export, a base class) is the same stand-in,
// also through an object made with it as prototype (esbuild's import of a CommonJS module).
const read = (target, key) => (key === '__esModule' ? false : key === 'then' || typeof key === 'symbol' ? undefined : standIn);
const exportsOf = new Proxy({}, { get: read });
const standIn = new Proxy(function () {}, { get: read, getPrototypeOf: () => exportsOf, apply: fail, construct: fail });
module.exports = standIn;`;
}

/** harfbuzzjs as the bundle can hold it (see above). */
function harfBuzzForBundle(file, source) {
  const changes = file.endsWith('index.mjs')
    ? [['init(await createHarfBuzz());', "export const ready = createHarfBuzz({ wasmBinary: require('node:fs').readFileSync(require.resolve('harfbuzzjs/dist/harfbuzz.wasm')) }).then(init);"]]
    : [['await import("module")', 'process.getBuiltinModule("node:module")']];
  return changedSource('harfbuzzjs', 'harfBuzzForBundle', file, source, changes);
}

const harfBuzzStartedLater = loadedChanged('harfbuzz-started-later', /[\\/]harfbuzzjs[\\/]dist[\\/](index\.mjs|harfbuzz\.js)$/, harfBuzzForBundle);

/**
 * puppeteer's `debug(prefix)` as the bundle holds it: each of its loggers makes its `debug` instance once, not
 * once for every message. puppeteer logs every CDP message it sends and receives through one, whether or not
 * DEBUG asks for it, and each new instance asks the terminal whether it takes colours (a system call): a
 * hundred or more a print (docs/performance.md). An instance reads DEBUG when it logs, so one made once logs
 * as one made each time would.
 */
function puppeteerDebugForBundle(file, source) {
  return changedSource('puppeteer', 'puppeteerDebugForBundle', file, source, [
    ['return async (...logArgs) => {', 'let log;\n        return async (...logArgs) => {'],
    ['(await importDebug())(prefix)(logArgs);', '(log ??= (await importDebug())(prefix))(logArgs);'],
  ]);
}

const puppeteerDebugMadeOnce = loadedChanged(
  'puppeteer-debug-made-once',
  /[\\/]puppeteer-core[\\/]lib[\\/](esm|cjs)[\\/]puppeteer[\\/]common[\\/]Debug\.js$/,
  puppeteerDebugForBundle,
);

const leaveOut = {
  name: 'leave-out',
  setup(build) {
    build.onResolve({ filter: LEFT_OUT }, (args) => ({ path: args.path, namespace: 'left-out' }));
    build.onLoad({ filter: /.*/, namespace: 'left-out' }, (args) => ({ contents: leftOutModule(args.path), loader: 'js' }));
  },
};

/** Bundle `entry` (a `.ts` file) into `outfile`, in ASCII (`asciiOnly`). */
export async function bundleScript(entry, outfile) {
  const { build, stop } = await import('esbuild');
  // esbuild's service is a process of its own, which would otherwise stay, holding some 250 MB, through the whole
  // of the command that asked for the bundle.
  const { outputFiles } = await build({
    entryPoints: [entry],
    outfile,
    write: false,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'error',
    define: { 'import.meta.url': '__bundleUrl' },
    // The queue's packages stay in node_modules, required only when a queue is used: every
    // other build would read and compile them for nothing. resvg is a native addon, required
    // from node_modules with the binary of the machine's platform.
    external: ['bullmq', 'ioredis', '@resvg/resvg-js'],
    plugins: [unnamedVisitors, leaveOut, harfBuzzStartedLater, puppeteerDebugMadeOnce],
  }).finally(() => stop());
  await mkdir(path.dirname(outfile), { recursive: true });
  await writeFile(outfile, `${WRAPPER_HEAD}${await asciiOnly(outputFiles[0].text)}${WRAPPER_TAIL}`);
}

/**
 * The bundle is written as one function of what a CommonJS module is given, and of `__bundleUrl`, its head on
 * the first line so that stack traces keep esbuild's line numbers. Wrapped when the bundle is made, it is
 * compiled as read: wrapped at every start, its 8.5 MB were copied once more (docs/performance.md, "The launcher").
 */
const WRAPPER_HEAD = '(function (require, module, exports, __filename, __dirname, __bundleUrl) {';
const WRAPPER_TAIL = '\n})';

/**
 * The bundle's code with its non-ASCII characters written as escapes. esbuild escapes them in strings
 * and names, but not in the comments it keeps nor in every regular expression, and a few such characters
 * (a `’` in a comment, a `「` in a regular expression) made Node read the whole bundle as UTF-8 the slow
 * way, at the start of every command, into a string of two bytes a character (docs/performance.md,
 * "The launcher"). Each character becomes the escape that means it where it stands (`\uXXXX`, or `\u{…}`
 * in a regular expression with the `u` or `v` flag), one in a comment a `\u{…}` that means nothing; a
 * template literal's are left, since its raw text is what `String.raw` returns.
 */
export async function asciiOnly(code) {
  if (!NON_ASCII.test(code)) return code;
  const { parse } = await import('acorn');
  const tokens = [];
  parse(code, {
    ecmaVersion: 'latest',
    sourceType: 'script',
    allowHashBang: true,
    allowReturnOutsideFunction: true,
    onComment: (_, __, start, end) => tokens.push({ start, end, kind: 'comment' }),
    onToken: ({ type, start, end, value }) => {
      if (type.label === 'regexp') tokens.push({ start, end, kind: 'regexp', unicode: /[uv]/.test(value.flags) });
      else if (type.label === 'string') tokens.push({ start, end, kind: 'string' });
    },
  });
  // Each UTF-16 code unit as `\uXXXX`: an astral character as its surrogate pair.
  const units = (character) => character.split('').map((unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
  let ascii = '';
  let done = 0;
  for (const { start, end, kind, unicode } of tokens.sort((a, b) => a.start - b.start)) {
    const text = code.slice(start, end);
    if (!NON_ASCII.test(text)) continue;
    ascii += code.slice(done, start);
    ascii += text.replace(/(\\*)([^\x00-\x7f])/gu, (_, backslashes, character) => {
      const codePoint = character.codePointAt(0);
      if (kind === 'comment') return `${backslashes}\\u{${codePoint.toString(16)}}`;
      const escape = kind === 'regexp' && unicode ? `\\u{${codePoint.toString(16)}}` : units(character);
      // A character a backslash escapes (an odd run of them) is replaced with its escape, that backslash included.
      return `${backslashes.slice(backslashes.length % 2)}${escape}`;
    });
    done = end;
  }
  return ascii + code.slice(done);
}

const NON_ASCII = /[^\x00-\x7f]/;

/**
 * The bundle compiled by V8, with its compiled code from an earlier run when there is one
 * (V8 checks it against the source and its own version and flags). The script evaluates to a
 * function of `(require, module, exports, __filename, __dirname, __bundleUrl)`. The bundle is
 * ASCII (`asciiOnly`), so read as Latin-1 it is the same text: Node then copies its bytes
 * rather than checking each as UTF-8, at every start (docs/performance.md, "The launcher").
 */
export function compileBundle(bundle, cachedData) {
  return new vm.Script(readFileSync(bundle).toString('latin1'), {
    filename: bundle,
    cachedData,
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
}
