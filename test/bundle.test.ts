import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import tty from 'node:tty';
import { describe, expect, it, vi } from 'vitest';
import { asciiOnly, bundleFiles, bundleScript, compileBundle, LEFT_OUT, withoutVisitorNames } from '../scripts/cli/bundle.mjs';
import { PROJECT_ROOT } from '../scripts/base/project-root.js';
import { cli, fixture, tempDir } from './support/cli.js';

const NAMED_VISITOR = "Object.defineProperty(visit, 'name'";

describe('the bundle the CLI runs', () => {
  it('is made ASCII with the same meaning: escapes in strings and regular expressions, comments made harmless', async () => {
    const source = [
      '// “Smart quotes” in a comment, and an emoji 🌈',
      '/* a block comment … */',
      'const quote = "’" + \'\\’\';',
      'const closing = /[、。「」]/u.test("「") && /[、。「」]/.test("。");',
      'const escaped = /\\¶/.test("¶") && /a\\\\¶/.test("a\\\\¶");',
      'const astral = /^🌈$/u.test("🌈") && /^🌈$/.test("🌈") && "🦄".length === 2;',
      'const template = `naïve ${quote}`;',
      'module.exports = { quote, closing, escaped, astral, template, raw: String.raw`é` };',
    ].join('\n');
    const ascii = await asciiOnly(source);
    const run = (code: string) => {
      const module = { exports: {} as Record<string, unknown> };
      new Function('module', code)(module);
      return module.exports;
    };
    expect(run(source)).toEqual({ quote: '’’', closing: true, escaped: true, astral: true, template: 'naïve ’’', raw: 'é' });
    expect(run(ascii)).toEqual(run(source));
    // Only the template literals keep theirs: their raw text is what String.raw returns.
    expect(ascii.replace(/`[^`]*`/g, '')).not.toMatch(/[^\x00-\x7f]/u);
    expect(ascii.split('\n')).toHaveLength(source.split('\n').length);
  });

  it('leaves out the visitor names of the installed unist-util-visit-parents', async () => {
    // Fails when an upgrade words the statement differently: the bundle would then name visitors again.
    const installed = createRequire(path.join(PROJECT_ROOT, 'node_modules', 'unist-util-visit', 'package.json')).resolve('unist-util-visit-parents');
    const source = await readFile(path.join(path.dirname(installed), 'lib', 'index.js'), 'utf8');
    expect(source).toContain(NAMED_VISITOR);
    const changed = withoutVisitorNames(source);
    expect(changed).not.toContain('defineProperty');
    expect(source.length - changed.length).toBeLessThan(200);
  });

  it('is bundled with the change, and without the packages the build never uses', async () => {
    const folder = await mkdtemp(path.join(os.tmpdir(), 'press-bundle-'));
    try {
      const bundle = path.join(folder, 'build.cjs');
      await bundleScript(path.join(PROJECT_ROOT, 'scripts', 'cli', 'build.ts'), bundle);
      const code = await readFile(bundle, 'utf8');
      expect(code).toContain('node_modules/unist-util-visit-parents/lib/index.js');
      expect(code).not.toMatch(/Object\.defineProperty\(visit\d*, "name"/);
      // esbuild names each bundled file in a comment: none of these packages, nor what only they use.
      const packages = new Set([...code.matchAll(/^\/\/ node_modules\/((?:@[^/]+\/)?[^/]+)\//gm)].map((match) => match[1]!));
      expect(packages).toContain('puppeteer-core');
      expect(packages).toContain('epub-gen-memory');
      for (const name of ['proxy-agent', 'pac-proxy-agent', '@tootallnate/quickjs-emscripten', 'chromium-bidi', 'ws', 'yargs', 'tar-fs', 'extract-zip', 'node-fetch']) {
        expect(packages).not.toContain(name);
      }
      // ASCII throughout, so that Node reads it the fast way, into a string of one byte a character.
      expect(code.match(/[^\x00-\x7f]/gu) ?? []).toEqual([]);
      // esbuild's service gone with the bundle made, not kept through the command that asked for it.
      expect((await childCommands()).filter((command) => command.includes('esbuild'))).toEqual([]);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it("makes each of puppeteer's debug loggers once, and they log what DEBUG asks for", async () => {
    const isatty = vi.spyOn(tty, 'isatty');
    const written = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const debugWas = process.env.DEBUG;
    // Read by the bundle's own `debug` when it first loads it.
    process.env.DEBUG = 'press:asked';
    try {
      // puppeteer logs each CDP message through such a logger (its Connection's `puppeteer:protocol:SEND ►`).
      const puppeteerDebug = path.join(PROJECT_ROOT, 'node_modules', 'puppeteer-core', 'lib', 'esm', 'puppeteer', 'common', 'Debug.js');
      const source = `import { debug } from ${JSON.stringify(puppeteerDebug)};\nexport const asked = debug('press:asked');\nexport const quiet = debug('press:quiet');\n`;
      await withBundledEntry<Record<'asked' | 'quiet', (...args: unknown[]) => Promise<void>>>(source, async ({ exports }) => {
        await exports.asked('first message');
        await exports.quiet('first message');
        const asks = isatty.mock.calls.length;
        for (let message = 0; message < 50; message++) {
          await exports.asked(`message ${message}`);
          await exports.quiet(`message ${message}`);
        }
        // Each `debug` instance asks whether the terminal takes colours: made once, they ask no more after their first message.
        expect(isatty.mock.calls.length).toBe(asks);
      });
      const lines = (namespace: string) => written.mock.calls.filter(([text]) => String(text).includes(namespace)).length;
      expect(lines('press:asked')).toBe(51);
      expect(lines('press:quiet')).toBe(0);
    } finally {
      if (debugWas === undefined) delete process.env.DEBUG;
      else process.env.DEBUG = debugWas;
      isatty.mockRestore();
      written.mockRestore();
    }
  });

  it('is written as one function, compiled as read, whose stack traces name the lines of the file', async () => {
    const source = "export const fail = (): never => {\n  throw new Error('failed here');\n};\nexport const url = import.meta.url;\n";
    await withBundledEntry<{ fail: () => never; url: string }>(
      source,
      ({ exports, bundle, code }) => {
        expect(code.split('\n')[0]).toMatch(/^\(function \(require, module, exports, __filename, __dirname, __bundleUrl\) \{/);
        expect(exports.url).toBe('file:///the/bundle.cjs');
        const line = code.split('\n').findIndex((text) => /throw new Error\(["']failed here["']\)/.test(text)) + 1;
        expect(line).toBeGreaterThan(1);
        expect(() => exports.fail()).toThrow('failed here');
        try {
          exports.fail();
        } catch (error) {
          expect((error as Error).stack).toContain(`${bundle}:${line}:`);
        }
      },
      'file:///the/bundle.cjs',
    );
  });

  it('puts a stand-in that names the package in place of one left out, and it throws when used', async () => {
    expect(LEFT_OUT.test('chromium-bidi/lib/cjs/bidiMapper/BidiMapper.js')).toBe(true);
    expect(LEFT_OUT.test('wsx')).toBe(false);
    // Read at load time as the importers do (a class to extend, a named export), used only when called.
    const source = "import fetch from 'node-fetch';\nimport { WebSocket } from 'ws';\nclass Socket extends WebSocket {}\nexport const get = () => fetch('https://example.com');\nexport const open = () => new Socket();\n";
    await withBundledEntry<{ get: () => unknown; open: () => unknown }>(source, ({ exports }) => {
      expect(() => exports.get()).toThrow(/node-fetch is left out of massage-press's bundle/);
      expect(() => exports.open()).toThrow(/ws is left out/);
    });
  });

  it("keeps V8's compiled code of the bundle from a build, and V8 takes it", async () => {
    const out = await tempDir();
    try {
      const built = await cli([fixture('handout/handout.md'), '--out', out, '--format', 'epub']);
      expect(built.code, built.stderr).toBe(0);
      const { bundle, compiled } = bundleFiles('build');
      expect(existsSync(compiled)).toBe(true);
      const script = compileBundle(bundle, await readFile(compiled));
      expect(script.cachedDataRejected).toBe(false);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});

/** `source` as an entry point, bundled and run as the launcher runs a bundle: `use` gets its exports, its file and its code. */
async function withBundledEntry<Exports>(source: string, use: (bundled: { exports: Exports; bundle: string; code: string }) => Promise<void> | void, bundleUrl = ''): Promise<void> {
  const folder = await mkdtemp(path.join(os.tmpdir(), 'press-bundle-'));
  try {
    const entry = path.join(folder, 'entry.ts');
    await writeFile(entry, source);
    const bundle = path.join(folder, 'entry.cjs');
    await bundleScript(entry, bundle);
    const module = { exports: {} as Exports };
    compileBundle(bundle).runInThisContext()(createRequire(bundle), module, module.exports, bundle, folder, bundleUrl);
    await use({ exports: module.exports, bundle, code: await readFile(bundle, 'latin1') });
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/** The command lines of this process's children (Linux's /proc). */
async function childCommands(): Promise<string[]> {
  const tasks = await readdir(`/proc/${process.pid}/task`);
  const children = await Promise.all(tasks.map((task) => readFile(`/proc/${process.pid}/task/${task}/children`, 'utf8').catch(() => '')));
  const pids = children.join(' ').split(/\s+/).filter(Boolean);
  return Promise.all(pids.map((pid) => readFile(`/proc/${pid}/cmdline`, 'utf8').then((command) => command.replaceAll('\0', ' '), () => '')));
}
