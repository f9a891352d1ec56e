import { execFileSync, spawnSync } from 'child_process';
import fs from 'fs';
import path from 'path';
import YAML from 'yaml';

const ROOT = path.resolve(__dirname, '..');
const COMPOSE = path.join(ROOT, 'docker-compose.yml');
const compose = YAML.parse(fs.readFileSync(COMPOSE, 'utf8'));

describe('docker-compose.yml', () => {
  it('validates with docker-compose config', () => {
    const run = spawnSync('docker-compose', ['-f', COMPOSE, 'config', '--quiet'], { encoding: 'utf8' });
    if (run.error) {
      throw new Error(`docker-compose is not installed (apt-get install docker-compose): ${run.error.message}`);
    }
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('binds every published port to 127.0.0.1', () => {
    const ports = Object.entries(compose.services).flatMap(([name, s]: [string, any]) =>
      (s.ports ?? []).map((p: string) => `${name}: ${p}`)
    );
    expect(ports.length).toBeGreaterThan(0);
    expect(ports.filter((p) => !/: 127\.0\.0\.1:\d+:\d+$/.test(p))).toEqual([]);
  });

  it('mounts only files and folders that exist', () => {
    const mounts = Object.values(compose.services).flatMap((s: any) =>
      (s.volumes ?? []).map((v: string) => v.split(':')[0])
    );
    const binds = mounts.filter((m) => m.startsWith('.'));
    expect(binds.length).toBeGreaterThan(0);
    expect(binds.filter((m) => !fs.existsSync(path.join(ROOT, m)))).toEqual([]);
  });

  it('pins every image to a version', () => {
    const images = Object.values(compose.services).map((s: any) => s.image as string);
    expect(images.filter((i) => !/:[0-9a-z][\w.-]*$/.test(i) || i.endsWith(':latest'))).toEqual([]);
  });

  it('gives Alertmanager a config amtool accepts', () => {
    expect(() =>
      execFileSync('amtool', ['check-config', path.join(__dirname, 'alertmanager.docker.yml')], { stdio: 'pipe' })
    ).not.toThrow();
  });

  it('gives Prometheus a config promtool accepts (with the pack\u2019s rules beside it)', () => {
    const dir = fs.mkdtempSync(path.join(require('os').tmpdir(), 'cascade-prom-'));
    const config = fs
      .readFileSync(path.join(__dirname, 'prometheus.docker.yml'), 'utf8')
      .replace('/etc/prometheus/rules/cascade-watch.rules.yml', path.join(ROOT, 'alerts', 'cascade-watch.rules.yml'));
    fs.writeFileSync(path.join(dir, 'prometheus.yml'), config);
    expect(() =>
      execFileSync('promtool', ['check', 'config', path.join(dir, 'prometheus.yml')], { stdio: 'pipe' })
    ).not.toThrow();
  });
});
