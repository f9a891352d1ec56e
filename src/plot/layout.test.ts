import { cloudsmithAt, cloudsmithTimeline, promFrame } from '../__fixtures__/frames';
import { buildCascadeModel } from '../model/cascade';
import { axisSizes, layoutHeader, layoutPanel, REASON_LINE_HEIGHT } from './layout';

const now = cloudsmithAt('22:40');
const model = buildCascadeModel(
  { series: cloudsmithTimeline(now), timeRange: { from: now - 3 * 3600_000, to: now } },
  { database: { backlogLimit: 150_000 } }
);

describe('layoutPanel', () => {
  it('gives the lanes the height under the header, in proportion, the time axis on the bottom one', () => {
    const layout = layoutPanel(model, 1000, 520, false);
    expect(layout.compact).toBe(false);
    expect(layout.lanes.map((l) => l.name)).toEqual(['traffic', 'database', 'instances']);
    const used = layout.lanes.reduce((sum, l) => sum + l.plotHeight + l.titleHeight, 0);
    expect(used).toBeLessThanOrEqual(520);
    expect(used).toBeGreaterThan(515);
    expect(layout.lanes[0].plotHeight).toBeGreaterThan(layout.lanes[2].plotHeight);
    expect(layout.lanes.map((l) => l.showTimeAxis)).toEqual([false, false, true]);
  });

  it('switches to sparklines for a small header or a narrow panel', () => {
    expect(layoutPanel(model, 1000, 150, true).compact).toBe(true);
    const narrow = layoutPanel(model, 300, 500, false);
    expect(narrow.compact).toBe(true);
    expect(narrow.lanes.every((l) => l.titleHeight === 0 && !l.showTimeAxis)).toBe(true);
    expect(narrow.axisSizes).toEqual({ left: 0, right: 0 });
  });

  it('drops lanes from the bottom when they do not fit, down to the header alone', () => {
    expect(layoutPanel(model, 1000, 45, true).lanes.map((l) => l.name)).toEqual(['traffic', 'database']);
    expect(layoutPanel(model, 1000, 10, true).lanes).toEqual([]);
  });

  it('only lays out lanes that have data', () => {
    const onlyBacklog = buildCascadeModel({ series: [promFrame('db_write_backlog', {}, [1, 2, 3], [1, 2, 3])] }, {});
    expect(layoutPanel(onlyBacklog, 800, 400, false).lanes.map((l) => l.name)).toEqual(['database']);
  });
});

describe('axisSizes', () => {
  it('sizes the left axes for the widest labels of any lane, and the right one for lag', () => {
    const sizes = axisSizes(model);
    // "200 K" backlog and "4K req/s" traffic labels: the wider wins, within bounds
    expect(sizes.left).toBeGreaterThanOrEqual(60);
    expect(sizes.left).toBeLessThanOrEqual(96);
    expect(sizes.right).toBeGreaterThanOrEqual(36);
  });
});

describe('layoutHeader', () => {
  const reasons = [
    'traffic 4.2K req/s, far above its baseline (1.1K req/s)',
    'write backlog above its limit (152K)',
    'db-primary saturated (100%)',
  ];
  const parts = { word: 'Degraded performance', reasons, stage: 'Cascade: traffic → backlog → replicas', notes: 0 };

  it('keeps short reasons beside the status word', () => {
    const layout = layoutHeader({ ...parts, reasons: ['backlog limit in ~14 min'] }, 1100, 32);
    expect(layout).toEqual({ inline: true, lines: [['backlog limit in ~14 min']], overflow: 0, height: 32 });
  });

  it('gives reasons that do not fit at 1100 px lines of their own, whole, instead of cutting them with "…"', () => {
    const layout = layoutHeader(parts, 1100, 32);
    expect(layout.inline).toBe(false);
    expect(layout.lines.flat()).toEqual(reasons);
    expect(layout.overflow).toBe(0);
    expect(layout.height).toBe(32 + layout.lines.length * REASON_LINE_HEIGHT);
  });

  it('packs reasons on at most two lines and counts the rest', () => {
    const narrow = layoutHeader(parts, 420, 32);
    expect(narrow.lines).toEqual([[reasons[0]], [reasons[1]]]);
    expect(narrow.overflow).toBe(1);
    expect(narrow.height).toBe(32 + 2 * REASON_LINE_HEIGHT);
  });

  it('takes the header height from the lanes: the lanes fill what is left', () => {
    const header = layoutHeader(parts, 1100, 32);
    const lanes = layoutPanel(model, 1100, 600 - header.height, false).lanes;
    const used = lanes.reduce((sum, l) => sum + l.plotHeight + l.titleHeight, 0);
    expect(used + header.height).toBeLessThanOrEqual(600);
  });
});
