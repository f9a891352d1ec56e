import { generateWorld, simulateWorld, worldTruth } from './simulator/worlds/generate';
const t0 = Date.now();
for (let seed = 1; seed <= 30; seed++) {
  const w = generateWorld(seed);
  const run = simulateWorld(w);
  const tr = worldTruth(w, run);
  const before = run.times.findIndex((t) => t >= w.onset);
  const maxOf = (name: string, pred: (l: any) => boolean, lo: number, hi: number) => {
    let m = 0;
    for (const s of run.series.filter((s) => s.name === name && pred(s.labels))) for (let k = lo; k < hi; k++) if (s.values[k] > m) m = s.values[k];
    return m;
  };
  const n = run.times.length;
  const pu = maxOf('db_utilization_ratio', (l) => l.role === 'primary', 0, before);
  const ru = maxOf('db_utilization_ratio', (l) => l.role === 'replica', 0, before);
  const bl = maxOf('db_write_backlog', () => true, 0, before);
  const blAfter = maxOf('db_write_backlog', () => true, before, n);
  const puAfter = maxOf('db_utilization_ratio', (l) => l.role === 'primary', before, n);
  const m = (t?: number) => (t === undefined ? '-' : `+${Math.round((t - w.onset) / 60)}m`);
  console.log(seed, w.kind.padEnd(16), `pu ${pu.toFixed(2)} ru ${ru.toFixed(2)} bl ${bl.toFixed(0)} | after pu ${puAfter.toFixed(2)} bl ${blAfter.toFixed(0)} sat ${m(tr.saturation)} zero ${m(tr.zeroHealthy)} | ${w.summary}`);
}
console.log((Date.now() - t0) / 1000, 's');
