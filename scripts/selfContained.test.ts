/**
 * The repository as a user's clone has it: nothing beside it. No file may read, import or link a folder next
 * to the clone, or cite a document the repository does not have; and the Node version it asks for is the same
 * everywhere it is stated.
 */
import { spawnSync } from 'child_process';
import fs from 'fs';
import path from 'path';

const REPO = path.resolve(__dirname, '..');

/** Tracked files, plus new ones git does not ignore (so a file is checked before its first commit). */
function repositoryFiles(): string[] {
  const git = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: REPO,
    encoding: 'utf8',
  });
  if (git.status !== 0) {
    throw new Error(`git ls-files failed: ${git.stderr || git.error?.message}`);
  }
  return git.stdout
    .split('\0')
    .filter((f) => f !== '' && fs.existsSync(path.join(REPO, f)))
    .sort();
}

/** Text files with their contents; binary files (a NUL byte in them) are left out. */
function textFiles(): Array<{ file: string; text: string }> {
  return repositoryFiles().flatMap((file) => {
    const bytes = fs.readFileSync(path.join(REPO, file));
    return bytes.includes(0) ? [] : [{ file, text: bytes.toString('utf8') }];
  });
}

function hits(pattern: RegExp, files: Array<{ file: string; text: string }>): string[] {
  return files.flatMap(({ file, text }) =>
    text.split('\n').flatMap((line, i) => [...line.matchAll(pattern)].map((m) => `${file}:${i + 1}: ${m[0]}`))
  );
}

// Spelled in pieces so that this file does not match its own patterns.
const SIBLING = ['..', 'shared'].join('/');
const REFERENCE_FOLDER = new RegExp(
  [
    SIBLING.replace(/\./g, '\\.'),
    `\\b${'shared'}/(?:${['SIGNALS', 'ALERTS', 'DESIGN', 'ENVIRONMENT', 'seeds'].join('|')})`,
    ['', 'work', 'shared'].join('/'),
  ].join('|'),
  'g'
);

describe('a clone with nothing beside it', () => {
  const files = textFiles();

  it('reads the files it checks', () => {
    expect(files.map((f) => f.file)).toEqual(expect.arrayContaining(['README.md', 'package.json', 'docs/signals.md']));
  });

  it('never reads, imports or links the folder beside the clone', () => {
    expect(hits(REFERENCE_FOLDER, files)).toEqual([]);
  });

  it('catches such a reference (the pattern is not vacuous)', () => {
    const sample = [{ file: 'x.md', text: `see [the contract](${SIBLING}/contract.md) and ${'shared'}/seeds/a.txt` }];
    expect(hits(REFERENCE_FOLDER, sample)).toHaveLength(2);
  });

  it('cites only upper-case documents (README.md and the like) that it has', () => {
    const have = new Set(repositoryFiles().map((f) => path.basename(f)));
    const missing = hits(/\b[A-Z][A-Z_]*\.md\b/g, files).filter((hit) => !have.has(hit.split(': ').at(-1)!));
    expect(missing).toEqual([]);
  });
});

describe('the Node version', () => {
  it('is the same in .nvmrc, package.json engines and the README', () => {
    const nvmrc = fs.readFileSync(path.join(REPO, '.nvmrc'), 'utf8').trim();
    const engines = (
      JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { engines: { node: string } }
    ).engines.node;
    const readme = /needs Node (\d+)\+/.exec(fs.readFileSync(path.join(REPO, 'README.md'), 'utf8'))?.[1];
    expect({ nvmrc, engines, readme }).toEqual({
      nvmrc: readme,
      engines: `>=${readme}`,
      readme: expect.stringMatching(/^\d+$/),
    });
  });
});
