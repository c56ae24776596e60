import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { log } from './progress.mjs';
import { runCommand } from './run-command.mjs';

const DEBIAN_KEYRING = '/usr/share/keyrings/debian-archive-keyring.gpg';

/** Parses deb822 `.sources` stanzas into objects keyed by lower-case field name. */
function parseDeb822(text) {
  const stanzas = [];
  for (const block of text.split(/\n\s*\n/)) {
    const fields = {};
    let last;
    for (const line of block.split('\n')) {
      if (line.startsWith('#') || line.trim() === '') continue;
      if (/^\s/.test(line) && last) {
        fields[last] += ` ${line.trim()}`;
        continue;
      }
      const colon = line.indexOf(':');
      if (colon < 0) continue;
      last = line.slice(0, colon).trim().toLowerCase();
      fields[last] = line.slice(colon + 1).trim();
    }
    if (Object.keys(fields).length > 0) stanzas.push(fields);
  }
  return stanzas;
}

/**
 * The Debian mirror this machine already uses, read from its own apt configuration: never a
 * host name written into the repository. Security and update suites are skipped because they
 * live on different archives.
 */
export function debianMirror() {
  const candidates = [];
  const partsDir = '/etc/apt/sources.list.d';
  if (existsSync(partsDir)) {
    for (const name of readdirSync(partsDir).sort()) {
      if (!name.endsWith('.sources')) continue;
      for (const stanza of parseDeb822(readFileSync(join(partsDir, name), 'utf8'))) {
        if (stanza.enabled === 'no' || !/\bdeb(-src)?\b/.test(stanza.types ?? '')) continue;
        const suites = (stanza.suites ?? '').split(/\s+/);
        if (suites.some((suite) => suite.includes('-security'))) continue;
        for (const uri of (stanza.uris ?? '').split(/\s+/))
          if (uri) candidates.push({ uri, signedBy: stanza['signed-by'] });
      }
    }
  }
  if (existsSync('/etc/apt/sources.list')) {
    for (const line of readFileSync('/etc/apt/sources.list', 'utf8').split('\n')) {
      const match = /^\s*deb(?:-src)?\s+(?:\[[^\]]*\]\s+)?(\S+)\s+(\S+)/.exec(line);
      if (match && !match[2].includes('-security')) candidates.push({ uri: match[1], signedBy: undefined });
    }
  }
  const chosen = candidates.find((candidate) => /^(https?|file):/.test(candidate.uri));
  if (!chosen)
    throw new Error('no Debian mirror found in /etc/apt/sources.list.d/*.sources or /etc/apt/sources.list');
  return chosen;
}

function sha256File(path) {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** apt options that keep everything (lists, cache, state) inside our own cache directory. */
function privateAptOptions(aptDir) {
  const options = {
    'Dir::Etc::sourcelist': join(aptDir, 'sources.list'),
    'Dir::Etc::sourceparts': join(aptDir, 'sources.list.d'),
    'Dir::State': join(aptDir, 'state'),
    'Dir::State::status': join(aptDir, 'state', 'status'),
    'Dir::Cache': join(aptDir, 'cache'),
    'APT::Get::List-Cleanup': '0',
    // We run as root and download into a directory the _apt user cannot write to.
    'APT::Sandbox::User': 'root',
  };
  return Object.entries(options).flatMap(([key, value]) => ['-o', `${key}=${value}`]);
}

async function downloadWithApt(pins, cacheDir, downloadDir) {
  const { uri, signedBy } = debianMirror();
  const quickjs = pins.quickjs;
  const aptDir = join(cacheDir, 'apt');
  for (const dir of ['sources.list.d', 'state/lists/partial', 'cache/archives/partial']) {
    mkdirSync(join(aptDir, dir), { recursive: true });
  }
  writeFileSync(join(aptDir, 'state', 'status'), '');
  const options = privateAptOptions(aptDir);
  const keyring = signedBy && existsSync(signedBy) ? signedBy : DEBIAN_KEYRING;
  const writeSources = (trust) =>
    writeFileSync(
      join(aptDir, 'sources.list'),
      `deb-src [${trust}] ${uri} ${quickjs.debianSuite} ${quickjs.debianComponent}\n`,
    );
  log(
    `fetching ${quickjs.debianSourcePackage}=${quickjs.debianVersion} (${quickjs.debianSuite} deb-src) from this machine's mirror`,
  );
  writeSources(`signed-by=${keyring}`);
  try {
    await runCommand('apt-get', [...options, 'update']);
  } catch (error) {
    // Older keyrings may not know the suite's signing key. The index is then trusted without a
    // signature, which is acceptable here only because the tarball itself is checked against
    // the sha256 pinned in pins.json before anything is built from it.
    log(
      `signed index unavailable (${String(error.message).split('\n').at(-2) ?? 'error'}); continuing unsigned, the sha256 pin guards the tarball`,
    );
    writeSources('trusted=yes');
    await runCommand('apt-get', [...options, 'update']);
  }
  await runCommand(
    'apt-get',
    [...options, 'source', '--download-only', `${quickjs.debianSourcePackage}=${quickjs.debianVersion}`],
    {
      cwd: downloadDir,
    },
  );
}

/**
 * Returns the directory of the pristine QuickJS sources, fetching Debian's source package and
 * checking the orig tarball's pinned sha256 the first time; later builds reuse the extraction.
 */
export async function ensureQuickjsSource(pins, cacheDir) {
  const quickjs = pins.quickjs;
  const sourceDir = join(cacheDir, quickjs.sourceDirectory);
  const stamp = join(sourceDir, '.jsbox-verified-sha256');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === quickjs.origTarballSha256) {
    log(`QuickJS ${quickjs.version} sources: reusing ${quickjs.sourceDirectory}`);
    return sourceDir;
  }
  const downloadDir = join(cacheDir, 'downloads');
  mkdirSync(downloadDir, { recursive: true });
  const tarball = join(downloadDir, quickjs.origTarball);
  if (!existsSync(tarball) || sha256File(tarball) !== quickjs.origTarballSha256) {
    await downloadWithApt(pins, cacheDir, downloadDir);
  }
  if (!existsSync(tarball)) throw new Error(`apt-get source did not produce ${quickjs.origTarball}`);
  const actual = sha256File(tarball);
  if (actual !== quickjs.origTarballSha256) {
    rmSync(tarball);
    throw new Error(
      `${quickjs.origTarball} has sha256 ${actual}, pins.json expects ${quickjs.origTarballSha256}: refusing to build`,
    );
  }
  log(`verified ${quickjs.origTarball} sha256 ${actual}`);
  rmSync(sourceDir, { recursive: true, force: true });
  await runCommand('tar', ['-xf', tarball, '-C', cacheDir]);
  if (!existsSync(join(sourceDir, 'quickjs.c')))
    throw new Error(`${quickjs.origTarball} did not contain ${quickjs.sourceDirectory}/quickjs.c`);
  writeFileSync(stamp, quickjs.origTarballSha256);
  return sourceDir;
}
