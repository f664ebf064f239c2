/**
 * The Chromium that comes with `npm install` on Linux x64: the optional dependency
 * `@sparticuz/chromium` ships a headless Chromium (a brotli-compressed binary, the NSS and
 * expat libraries it links to, and a font) built to run on a bare Linux with nothing else
 * installed. It is unpacked once into the project's cache, never into the system's temp folder
 * (where the package itself would unpack it), and used when the machine has no browser of its own.
 *
 * An unpack is written into a folder of its own and renamed into place only when complete, with a
 * list of its files and their sizes; a copy whose files do not match that list (an unpack cut short
 * by Ctrl-C, a file deleted since) is unpacked again.
 */
import { createReadStream, createWriteStream, existsSync, readFileSync, statSync } from 'node:fs';
import { chmod, mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createBrotliDecompress } from 'node:zlib';
import { extract as tarExtract } from 'tar-stream';
import { PROJECT_ROOT } from '../base/project-root.js';

/** The npm package, and why its version: docs/architecture.md, "The bundled Chromium". */
const PACKAGE = '@sparticuz/chromium';

/** Where unpacked copies live: one folder per version of the package. */
export const BUNDLED_CHROMIUM_CACHE = path.join(PROJECT_ROOT, 'node_modules', '.cache', 'massage-press');

export interface BundledChromium {
  /** A small shell script that runs the unpacked Chromium with its libraries and fonts. */
  executablePath: string;
  /** `@sparticuz/chromium 143.0.4`. */
  packageName: string;
  /** The folder it was unpacked into. */
  folder: string;
}

/** Why there is no bundled Chromium on this machine, in words for a person; undefined when there is one to unpack. */
export function bundledChromiumUnavailable(platform = process.platform, arch = process.arch): string | undefined {
  if (platform !== 'linux') return `no npm package ships a Chromium for ${platform}`;
  // The package's npm files hold only its x64 build; its arm64 build is published on GitHub, which `npm install` cannot reach here.
  if (arch !== 'x64') return `${PACKAGE} ships a Chromium for Linux x64 only, not ${arch}`;
  if (!packageFolder()) return `the optional dependency ${PACKAGE} is not installed (npm install --include=optional)`;
  return undefined;
}

/** Where npm put the package: a direct dependency, so at the top of node_modules. (Its exports do not include its package.json to resolve.) */
function packageFolder(): string | undefined {
  const folder = path.join(PROJECT_ROOT, 'node_modules', ...PACKAGE.split('/'));
  return existsSync(path.join(folder, 'bin', 'chromium.br')) ? folder : undefined;
}

/** The manifest written last into a complete unpack: each file's path and size. */
const MANIFEST = 'unpacked.json';

export interface BundledChromiumOptions {
  /** Told before an unpack starts, with the folder it unpacks into. */
  onUnpack?: (folder: string) => void;
  /** Where to unpack; the project's cache unless a test says otherwise. */
  cache?: string;
}

/** The unpacked Chromium, unpacking it first when there is no complete copy; undefined where the package cannot serve. */
export async function bundledChromium({ onUnpack, cache = BUNDLED_CHROMIUM_CACHE }: BundledChromiumOptions = {}): Promise<BundledChromium | undefined> {
  if (bundledChromiumUnavailable()) return undefined;
  const source = packageFolder()!;
  const version = JSON.parse(readFileSync(path.join(source, 'package.json'), 'utf8')).version as string;
  const folder = path.join(cache, `chromium-${version}`);
  const found: BundledChromium = { executablePath: path.join(folder, 'chrome'), packageName: `${PACKAGE} ${version}`, folder };
  if (!isComplete(folder)) {
    onUnpack?.(folder);
    await unpack(path.join(source, 'bin'), folder);
  }
  await writeLauncher(folder);
  return found;
}

/**
 * The launcher and font configuration are ours, not the package's: kept out of the manifest and
 * written again whenever they differ from this version's, so a change to them needs no new unpack.
 */
async function writeLauncher(folder: string): Promise<void> {
  for (const [name, text, mode] of [['massage-press-fonts.conf', FONTS_CONF, 0o644], ['chrome', LAUNCHER, 0o755]] as const) {
    const file = path.join(folder, name);
    if (existsSync(file) && readFileSync(file, 'utf8') === text) continue;
    const partial = `${file}.${process.pid}.tmp`;
    await writeFile(partial, text, { mode });
    await rename(partial, file);
  }
}

/** Every file the manifest lists is there with its size. */
export function isComplete(folder: string): boolean {
  try {
    const files = JSON.parse(readFileSync(path.join(folder, MANIFEST), 'utf8')) as Record<string, number>;
    return Object.entries(files).every(([name, size]) => statSync(path.join(folder, name)).size === size);
  } catch {
    return false;
  }
}

/**
 * The fonts the Chromium falls back on: only the package's own (Open Sans), so that a PDF looks the
 * same on every machine. The pages embed the fonts they print in; this serves what they do not cover.
 * (In a file of our own: the package's fonts.conf names folders under /tmp.)
 */
const FONTS_CONF = `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <dir prefix="relative">fonts</dir>
  <cachedir prefix="xdg">fontconfig</cachedir>
</fontconfig>
`;

/**
 * Runs the unpacked binary with its libraries first on the library path and its own font
 * configuration, from wherever the folder is. Without a sandbox: the headless shell has no
 * setuid helper, and user namespaces are often closed (containers, Ubuntu's AppArmor); the build's
 * pages run no script and load nothing from outside (scripts/browser.ts).
 */
const LAUNCHER = `#!/bin/sh
here=$(cd "$(dirname "$0")" && pwd)
# (fontconfig's cache goes to $XDG_CACHE_HOME/fontconfig: this folder, as a cache of a relative path would go to the working folder.)
LD_LIBRARY_PATH="$here/lib\${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" FONTCONFIG_FILE="$here/massage-press-fonts.conf" XDG_CACHE_HOME="$here" \
  exec "$here/chromium" --no-sandbox "$@"
`;

async function unpack(bin: string, folder: string): Promise<void> {
  await mkdir(path.dirname(folder), { recursive: true });
  const partial = `${folder}.${process.pid}.tmp`;
  await rm(partial, { recursive: true, force: true });
  await mkdir(partial);
  try {
    // The binary is the slow part, by far the largest file: the archives unpack beside it, on the thread pool.
    await Promise.all([
      pipeline(createReadStream(path.join(bin, 'chromium.br')), createBrotliDecompress(), createWriteStream(path.join(partial, 'chromium'))),
      untar(path.join(bin, 'al2023.tar.br'), partial),
      untar(path.join(bin, 'fonts.tar.br'), partial),
    ]);
    await chmod(path.join(partial, 'chromium'), 0o755);
    await writeFile(path.join(partial, MANIFEST), JSON.stringify(await sizes(partial), null, 1));
    // An incomplete copy left by an earlier unpack goes; a complete one put there meanwhile by another build stays.
    if (existsSync(folder) && !isComplete(folder)) await rm(folder, { recursive: true, force: true });
    await rename(partial, folder).catch((error: NodeJS.ErrnoException) => {
      if (!isComplete(folder)) throw error;
    });
  } finally {
    await rm(partial, { recursive: true, force: true });
  }
}

/** A brotli-compressed tar's regular files and folders, written under `into`; nothing outside it. */
async function untar(archive: string, into: string): Promise<void> {
  const extract = tarExtract();
  const done = (async () => {
    for await (const entry of extract) {
      const target = path.resolve(into, entry.header.name);
      if (!target.startsWith(`${into}${path.sep}`)) throw new Error(`${archive}: ${entry.header.name} would be written outside ${into}`);
      if (entry.header.type === 'directory') await mkdir(target, { recursive: true });
      else if (entry.header.type === 'file') {
        await mkdir(path.dirname(target), { recursive: true });
        await pipeline(entry, createWriteStream(target, { mode: entry.header.mode ?? 0o644 }));
        continue;
      }
      entry.resume();
    }
  })();
  await Promise.all([pipeline(createReadStream(archive), createBrotliDecompress(), extract), done]);
}

/** Every file under `folder`, by its path relative to it, with its size. */
async function sizes(folder: string, under = ''): Promise<Record<string, number>> {
  const files: Record<string, number> = {};
  for (const entry of await readdir(path.join(folder, under), { withFileTypes: true })) {
    const name = path.join(under, entry.name);
    if (entry.isDirectory()) Object.assign(files, await sizes(folder, name));
    else files[name] = (await stat(path.join(folder, name))).size;
  }
  return files;
}
