/**
 * For tests: a real Prometheus on 127.0.0.1 and a free port, scraping the given targets every second, in its own
 * temporary directory. `stop()` ends it and removes the directory.
 */
import { spawn } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import YAML from 'yaml';

import { freePort } from '../../lib/processes';

export const PROMETHEUS_BINARY = '/usr/bin/prometheus';

export interface ScrapingPrometheus {
  url: string;
  /** An instant query's result; an empty list while Prometheus is not answering yet. */
  query(promql: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>>;
  /** Waits (bounded: 30 s) until every target has been scraped `count` times; returns how many scrapes came. */
  scrapes(count: number): Promise<number>;
  stop(): void;
}

export async function scrapingPrometheus(scrapeConfig: Record<string, unknown>): Promise<ScrapingPrometheus> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cascade-scraping-prom-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  fs.writeFileSync(
    path.join(dir, 'prometheus.yml'),
    YAML.stringify({ global: { scrape_interval: '1s' }, scrape_configs: [scrapeConfig] })
  );
  const prometheus = spawn(
    PROMETHEUS_BINARY,
    [
      `--config.file=${path.join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { stdio: 'ignore' }
  );
  const query: ScrapingPrometheus['query'] = async (promql) => {
    try {
      const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(promql)}`);
      return ((await res.json()) as { data: { result: Awaited<ReturnType<ScrapingPrometheus['query']>> } }).data.result;
    } catch {
      return [];
    }
  };
  return {
    url,
    query,
    async scrapes(count) {
      let fewest = 0;
      for (let i = 0; i < 60 && fewest < count; i++) {
        await new Promise((r) => setTimeout(r, 500));
        const perTarget = (await query('count_over_time(up[1m]) and up == 1')).map((r) => Number(r.value[1]));
        fewest = perTarget.length > 0 ? Math.min(...perTarget) : 0;
      }
      return fewest;
    },
    stop() {
      prometheus.kill('SIGTERM');
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
