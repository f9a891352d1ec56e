/**
 * The detection report's scoring, on hand-made results, and a small seeded subset of generated worlds replayed
 * through the pack with promtool: a bad deploy the pack must catch on its route, a drop on one route it must
 * catch although the service's sum stays inside its band and a drop still inside its band 10 minutes in but
 * falling (the positive controls), and a benign day it must leave quiet. The full report is `npm run bench -- detection`.
 */
import { generateWorld } from '../../simulator/worlds/generate';
import { compactSeeds, detectionMarkdown, replayWorld, targets, type WorldResult } from './detection';
import type { ReplayAlert } from './replay';

const MINUTE = 60;
const ONSET = 1_000_000;

function alert(
  alertname: string,
  stage: string,
  firstFiring: number,
  labels: Record<string, string> = {}
): ReplayAlert {
  return {
    alertname,
    severity: 'warning',
    stage,
    labels,
    firstFiring,
    lastOnset: firstFiring,
    onsets: 1,
    firingAtStart: false,
    firingAtEnd: false,
  };
}

function world(
  seed: number,
  kind: WorldResult['world']['kind'],
  alerts: ReplayAlert[],
  saturation?: number
): WorldResult {
  return {
    world: {
      seed,
      kind,
      benign: kind === 'quiet',
      onset: ONSET,
      window: { from: ONSET - 3600, to: ONSET + 5 * 3600 },
      routes: kind === 'bad-deploy' ? ['api'] : [],
      summary: '',
    },
    truth: { onset: ONSET, saturation },
    alerts,
  };
}

const byName = (results: WorldResult[], start: string) => targets(results).find((t) => t.target.startsWith(start))!;

describe('scoring', () => {
  it('a backlog warning 15 minutes before saturation meets the target; 14 minutes does not', () => {
    const saturation = ONSET + 40 * MINUTE;
    const early = world(
      1,
      'surge-routes',
      [alert('CascadeWriteBacklogGrowing', 'backlog', saturation - 15 * MINUTE)],
      saturation
    );
    const late = world(
      2,
      'surge-routes',
      [alert('CascadeWriteBacklogGrowing', 'backlog', saturation - 14 * MINUTE)],
      saturation
    );
    expect(byName([early], 'cascades saturating').ok).toBe(true);
    const both = byName([early, late], 'cascades saturating');
    expect({ met: both.met, of: both.of, misses: both.misses, ok: both.ok }).toEqual({
      met: 1,
      of: 2,
      misses: [2],
      ok: false,
    });
  });

  it('an alert that fired before the onset does not count as detecting it', () => {
    const saturation = ONSET + 40 * MINUTE;
    const before = world(
      3,
      'surge-one-route',
      [alert('CascadeTrafficSurge', 'traffic', ONSET - 10 * MINUTE)],
      saturation
    );
    expect(byName([before], 'cascades: a traffic').misses).toEqual([3]);
  });

  it('a cascade warning counts while instances are left; before saturation is the stricter row', () => {
    const saturation = ONSET + 5 * MINUTE;
    const zeroHealthy = ONSET + 30 * MINUTE;
    const cascade = (seed: number, at: number): WorldResult => {
      const r = world(seed, 'capacity-loss', [alert('CascadeWriteBacklogGrowing', 'backlog', at)], saturation);
      return { ...r, truth: { ...r.truth, zeroHealthy } };
    };
    const results = [cascade(11, ONSET + 2 * MINUTE), cascade(12, ONSET + 10 * MINUTE), cascade(13, zeroHealthy)];
    expect(byName(results, 'cascades: a traffic').misses).toEqual([13]);
    expect(byName(results, 'cascades (stricter)').misses).toEqual([12, 13]);
  });

  it('a bad deploy is caught only on its own route', () => {
    const right = world(4, 'bad-deploy', [
      alert('CascadeDeployTrafficAnomaly', 'deploy', ONSET + 3 * MINUTE, { route: 'api' }),
    ]);
    const wrong = world(5, 'bad-deploy', [
      alert('CascadeDeployTrafficAnomaly', 'deploy', ONSET + 3 * MINUTE, { route: 'download' }),
    ]);
    expect(byName([right, wrong], 'bad deploys: a deploy alert').misses).toEqual([5]);
    expect(byName([right, wrong], 'bad deploys: no deploy alert').misses).toEqual([5]);
  });

  it('counts benign warnings per week and pages', () => {
    const page = { ...alert('CascadeInProgress', 'cascade', ONSET), severity: 'critical' };
    const results = [
      world(7, 'quiet', [alert('CascadeTrafficAnomalyHigh', 'traffic', ONSET)]),
      world(9, 'quiet', [page]),
    ];
    expect(byName(results, 'benign days: no page').misses).toEqual([9]);
    // A "benign" day that saturated the primary is an incident: its page is right.
    const saturated = world(9, 'quiet', [page], ONSET + 5 * MINUTE);
    expect(byName([results[0], saturated], 'benign days: no page')).toMatchObject({ met: 1, of: 1 });
    expect(compactSeeds([9, 1, 2, 3, 5])).toBe('1-3, 5, 9');
  });

  it('leaves out a world whose service was already down when its window opened, and says so', () => {
    const page = { ...alert('CascadeNoHealthyInstances', 'instances', ONSET), severity: 'critical' };
    const down = world(25, 'quiet', [page]);
    const results = [world(7, 'quiet', []), { ...down, truth: { ...down.truth, downAtStart: true as const } }];
    expect(byName(results, 'benign days: no page')).toMatchObject({ met: 1, of: 1, misses: [] });
    expect(detectionMarkdown(results, '7, 25')).toContain(
      '1 left out (seeds 25): the drawn service had no healthy instance when its window opened.'
    );
    // Judged, the same world is a page on a benign day.
    expect(byName([results[0], down], 'benign days: no page').misses).toEqual([25]);
  });
});

describe('generated worlds through the pack', () => {
  const TIMEOUT = 10 * 60_000;
  // Both replays start at once (promtool runs two at a time); each test awaits its own.
  const deploy = replayWorld(generateWorld(4));
  const benign = replayWorld(generateWorld(1));
  const routeDrop = replayWorld(generateWorld(14));
  const heavyBatch = replayWorld(generateWorld(271));
  const heldBacklog = replayWorld(generateWorld(156));
  const endedBatch = replayWorld(generateWorld(221));
  const slowDrop = replayWorld(generateWorld(16));
  for (const pending of [deploy, benign, routeDrop, heavyBatch, heldBacklog, endedBatch, slowDrop]) {
    pending.catch(() => undefined);
  }

  it(
    'world 4 (a deploy breaks the upload route): the deploy alert on that route within 5 minutes, on no other',
    async () => {
      const r = await deploy;
      expect([r.world.kind, r.world.routes]).toEqual(['bad-deploy', ['upload']]);
      const results = [r];
      expect(byName(results, 'bad deploys: a deploy alert')).toMatchObject({ met: 1, of: 1 });
      expect(byName(results, 'bad deploys: no deploy alert')).toMatchObject({ met: 1, of: 1 });
    },
    TIMEOUT
  );

  it(
    "world 14 (one route, upload, down to 38 %; the service's sum stays inside its band): a drop warning within 10 minutes",
    async () => {
      const r = await routeDrop;
      expect([r.world.kind, r.world.routes, r.world.dropTo]).toEqual(['drop', ['upload'], 0.38]);
      expect(byName([r], 'drops to half or less')).toMatchObject({ met: 1, of: 1 });
      expect(r.alerts.filter((a) => a.alertname === 'CascadeTrafficAnomalyLow').map((a) => a.onsets)).toEqual([1]);
    },
    TIMEOUT
  );

  it(
    'world 16 (the whole service down to 49 %, time constant 12 minutes): a drop warning within 10 minutes',
    async () => {
      const r = await slowDrop;
      expect([r.world.kind, r.world.dropTo]).toEqual(['drop', 0.49]);
      // Its 5-minute rate is still at 0.77x the baseline 10 minutes in, inside the band: only the falling tier
      // (below 0.8x after falling in each of 7 minutes) warns it in time. Without it: 17 minutes.
      expect(byName([r], 'drops to half or less')).toMatchObject({ met: 1, of: 1 });
    },
    TIMEOUT
  );

  it(
    'world 1 (a planned scale-down): no page, at most one warning',
    async () => {
      const r = await benign;
      expect(r.world.kind).toBe('scale-down');
      expect(byName([r], 'benign days: no page')).toMatchObject({ met: 1, of: 1 });
      expect(r.alerts.filter((a) => a.severity === 'warning').reduce((n, a) => n + a.onsets, 0)).toBeLessThanOrEqual(1);
    },
    TIMEOUT
  );

  it(
    'world 271 (a batch lags the replicas by minutes while the primary has headroom): the backlog and replica warnings, no page',
    async () => {
      const r = await heavyBatch;
      expect([r.world.kind, r.truth.saturation]).toEqual(['batch', undefined]);
      const fired = (name: string) => r.alerts.some((a) => a.alertname === name && a.onsets > 0);
      expect(['CascadeWriteBacklogGrowing', 'CascadeReplicaLagGrowing'].filter(fired)).toEqual([
        'CascadeWriteBacklogGrowing',
        'CascadeReplicaLagGrowing',
      ]);
      // With cascade.requireOneOf: [] these two stages made CascadeInProgress page at +10 minutes.
      expect(byName([r], 'benign days: no page')).toMatchObject({ met: 1, of: 1 });
    },
    TIMEOUT
  );

  it(
    'world 156 (a broken deploy holds the backlog at 6x its usual drain time for hours; the primary then fills in ten minutes): a backlog warning 15+ minutes before saturation',
    async () => {
      const r = await heldBacklog;
      expect([r.world.kind, r.truth.saturation! - r.world.onset > 150 * MINUTE]).toEqual(['bad-deploy', true]);
      // Without CascadeWriteBacklogElevated the first backlog warning came 8 minutes after saturation.
      expect(byName([r], 'cascades saturating 20+ min')).toMatchObject({ met: 1, of: 1 });
      const elevated = r.alerts.find((a) => a.alertname === 'CascadeWriteBacklogElevated');
      expect(elevated?.firstFiring ?? Infinity).toBeLessThanOrEqual(r.truth.saturation! - 15 * MINUTE);
    },
    TIMEOUT
  );

  it(
    'world 221 (a 47-minute batch whose backlog still drains an hour after it began): the growing backlog warned once, not a held one',
    async () => {
      const r = await endedBatch;
      expect([r.world.kind, r.truth.saturation]).toEqual(['batch', undefined]);
      expect(r.alerts.map((a) => [a.alertname, a.onsets])).toEqual([['CascadeWriteBacklogGrowing', 1]]);
    },
    TIMEOUT
  );
});
