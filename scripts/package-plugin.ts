/**
 * `npm run package`: the zip the plugin catalogue takes. The built plugin (dist/) goes into a folder named
 * by the plugin's id, zipped as `<id>-<version>.zip`, with its SHA-1 and MD5 beside it (`.zip.sha1`,
 * `.zip.md5`: the catalogue's submission form asks for the checksum). The archive is then checked with
 * the offline plugin checks (scripts/validate-plugin.ts). Build first; for a signed archive: `npm run build && npm run sign && npm run package`
 * (signing writes MANIFEST.txt into dist/, which a rebuild would remove).
 *
 *   npx tsx scripts/package-plugin.ts [--dist dist] [--out artifacts/package]
 */
import crypto from 'crypto';
import fs from 'fs';
import path from 'path';
import { validateArchive, validatePlugin } from './validate-plugin';
import { writeZip } from './zip';

export interface PackageResult {
  readonly zip: string;
  readonly sha1: string;
  readonly md5: string;
  readonly files: number;
}

function filesUnder(dir: string, prefix = ''): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) =>
      e.isDirectory() ? filesUnder(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]
    );
}

export function packagePlugin(dist: string, outDir: string): PackageResult {
  const plugin = JSON.parse(fs.readFileSync(path.join(dist, 'plugin.json'), 'utf8'));
  const id = String(plugin.id);
  const version = String(plugin.info?.version ?? '');
  const files = filesUnder(dist).map((rel) => ({
    path: `${id}/${rel}`,
    data: fs.readFileSync(path.join(dist, rel)),
  }));
  const zip = writeZip(files);
  fs.mkdirSync(outDir, { recursive: true });
  const zipPath = path.join(outDir, `${id}-${version}.zip`);
  fs.writeFileSync(zipPath, zip);
  const sha1 = crypto.createHash('sha1').update(zip).digest('hex');
  const md5 = crypto.createHash('md5').update(zip).digest('hex');
  // The format of sha1sum/md5sum, so `sha1sum -c` checks it.
  fs.writeFileSync(`${zipPath}.sha1`, `${sha1}  ${path.basename(zipPath)}\n`);
  fs.writeFileSync(`${zipPath}.md5`, `${md5}  ${path.basename(zipPath)}\n`);
  return { zip: zipPath, sha1, md5, files: files.length };
}

if (require.main === module) {
  const arg = (name: string, fallback: string) => {
    const i = process.argv.indexOf(name);
    return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
  };
  const root = path.resolve(__dirname, '..');
  const dist = path.resolve(arg('--dist', path.join(root, 'dist')));
  const out = path.resolve(arg('--out', path.join(root, 'artifacts', 'package')));
  const problems = validatePlugin(dist, { source: path.join(root, 'src') });
  if (problems.length > 0) {
    console.error(`Not packaging ${dist}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    process.exit(1);
  }
  const result = packagePlugin(dist, out);
  const archiveProblems = validateArchive(result.zip);
  if (archiveProblems.length > 0) {
    console.error(`The archive ${result.zip} is wrong:\n${archiveProblems.map((p) => `  - ${p}`).join('\n')}`);
    process.exit(1);
  }
  const size = fs.statSync(result.zip).size;
  console.log(`${result.zip} (${result.files} files, ${(size / 1024).toFixed(0)} KiB)`);
  console.log(`sha1 ${result.sha1}\nmd5  ${result.md5}`);
  if (!fs.existsSync(path.join(dist, 'MANIFEST.txt'))) {
    console.log('Unsigned: run `npm run sign` (GRAFANA_ACCESS_POLICY_TOKEN set) before packaging for the catalogue.');
  }
}
