import { cloudsmithAt, cloudsmithTimeline, promFrame } from '../__fixtures__/frames';
import { buildCascadeModel } from '../model/cascade';
import { axisSizes, layoutPanel } from './layout';

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
