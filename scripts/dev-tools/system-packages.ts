/**
 * The few tools the tests need that npm cannot supply (W3C EPUBCheck, a Java program with no npm
 * package that ships it; LibreOffice, which reads the Word files as a reviewer's office suite does), fetched the way `playwright install-deps` fetches system packages: on
 * Debian or Ubuntu, as root or with sudo, the Debian package is installed once, and the tests say
 * so; anywhere else the tests stop at once with the command to run. A check is never skipped.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { epubcheckJar } from '../check/epubcheck.js';

export interface SystemPackage {
  /** What the tests call it, for the messages: `EPUBCheck`. */
  name: string;
  /** The Debian package that provides it. */
  debianPackage: string;
  /** How to get it elsewhere, for the message that stops the tests. */
  elsewhere: string;
  isInstalled: () => boolean;
}

/** Installs `needed` when it is missing (Debian or Ubuntu), or throws an error that says what to run. */
export function ensureSystemPackage(needed: SystemPackage, log: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): void {
  if (needed.isInstalled()) return;
  const command = `apt-get install -y --no-install-recommends ${needed.debianPackage}`;
  if (process.platform !== 'linux' || !existsSync('/etc/debian_version') || !onPath('apt-get')) {
    throw new Error(`${needed.name} is missing, and the tests cannot do without it. ${needed.elsewhere}`);
  }
  const asRoot = process.getuid?.() === 0;
  if (!asRoot && !canSudo()) {
    throw new Error(`${needed.name} is missing, and the tests cannot do without it. Install it with: sudo ${command}`);
  }
  log(`${needed.name} is missing: installing Debian's ${needed.debianPackage} package, once (${asRoot ? '' : 'sudo '}${command})`);
  const sudo = (args: string[]) => (asRoot ? args : ['sudo', '-n', ...args]);
  const apt = (...args: string[]) => {
    const [program, ...rest] = sudo(['apt-get', ...args]);
    execFileSync(program!, rest, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  };
  try {
    apt('update', '-qq');
    apt('install', '-y', '-qq', '--no-install-recommends', needed.debianPackage);
  } catch (error) {
    const stderr = String((error as { stderr?: Buffer }).stderr ?? (error as Error).message).trim();
    throw new Error(`${needed.name} is missing, and installing ${needed.debianPackage} failed:\n${stderr}\nInstall it with: sudo ${command}`);
  }
  if (!needed.isInstalled()) throw new Error(`${needed.debianPackage} was installed, but ${needed.name} is still not found.`);
  log(`${needed.name} installed.`);
}

function onPath(command: string): boolean {
  return (process.env.PATH ?? '').split(':').some((folder) => folder && existsSync(`${folder}/${command}`));
}

function canSudo(): boolean {
  try {
    execFileSync('sudo', ['-n', 'true'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The W3C's EPUBCheck, as Debian packages it (`java -jar /usr/share/java/epubcheck.jar`). */
export const EPUBCHECK: SystemPackage = {
  name: 'EPUBCheck',
  debianPackage: 'epubcheck',
  elsewhere:
    'Install it (macOS: `brew install epubcheck`; or unzip a release from https://github.com/w3c/epubcheck/releases) ' +
    'and point EPUBCHECK_JAR at its epubcheck.jar; it needs Java.',
  isInstalled: () => epubcheckJar() !== undefined && onPath('java'),
};

/**
 * A CMYK press profile for the press file's tests (a print shop's profile is theirs to give, and no npm
 * package ships one): Ghostscript's SWOP profile, as Debian packages it. Never committed.
 */
export const CMYK_PROFILE_FILE = '/usr/share/color/icc/ghostscript/default_cmyk.icc';
export const CMYK_PROFILE: SystemPackage = {
  name: 'A CMYK ICC profile (Ghostscript’s SWOP profile)',
  debianPackage: 'libgs-common',
  elsewhere: 'Point PRESS_TEST_PROFILE at any CMYK output profile (.icc), such as one your print shop gives you.',
  isInstalled: () => existsSync(process.env.PRESS_TEST_PROFILE ?? CMYK_PROFILE_FILE),
};

/**
 * LibreOffice's Writer, headless: the tests open each Word file with it and convert it to PDF and
 * to text (`soffice --headless --convert-to`). Debian's libreoffice-writer without its recommended
 * packages (Java, the desktop integration, the help) is what a converter needs.
 */
export const LIBREOFFICE: SystemPackage = {
  name: 'LibreOffice',
  debianPackage: 'libreoffice-writer',
  elsewhere: 'Install LibreOffice (https://www.libreoffice.org/download/, or `brew install --cask libreoffice`) and put `soffice` on the PATH.',
  isInstalled: () => onPath('soffice'),
};
