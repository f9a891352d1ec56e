import uPlot from 'uplot';
import { createTheme } from '@grafana/data';
import { cloudsmithAt, cloudsmithTimeline } from '../__fixtures__/frames';
import { buildCascadeModel } from '../model/cascade';
import { databasePlot, forUPlot, instancesPlot, PlotContext, trafficPlot } from './lanes';
import { makePalette } from './palette';

const now = cloudsmithAt('23:05');
const model = buildCascadeModel(
  { series: cloudsmithTimeline(now), timeRange: { from: now - 3 * 3600_000, to: now } },
  { database: { backlogLimit: 150_000 } }
);
const ctx: PlotContext = {
  palette: makePalette(createTheme()),
  range: model.range,
  deploys: [{ time: now - 3600_000, label: 'v42', source: 'series' }],
  timeZone: 'utc',
  syncKey: 'test',
  axisSizes: { left: 60, right: 48 },
  showTimeAxis: true,
  compact: false,
  plotWidth: 800,
};

/** A real uPlot on jsdom's mocked canvas, so the draw hooks run against uPlot's own scales. */
async function mount(spec: ReturnType<typeof trafficPlot>) {
  const el = document.createElement('div');
  document.body.appendChild(el);
  const u = new uPlot({ ...spec.options, width: 800, height: 200 }, spec.data, el);
  // uPlot draws in a microtask after construction.
  await new Promise((resolve) => setTimeout(resolve, 0));
  return { u, ctx: u.ctx as unknown as { __getEvents(): Array<{ type: string; props: Record<string, unknown> }> } };
}

describe('forUPlot', () => {
  it('passes arrays without gaps through and turns NaN into null otherwise', () => {
    const clean = [1, 2, 3];
    expect(forUPlot(clean, 0)).toBe(clean);
    expect(forUPlot(Float64Array.from([1, NaN, 3]), 1)).toEqual([1, null, 3]);
  });
});

describe('lane plots', () => {
  it('gives every series as many points as the x axis', () => {
    for (const spec of [
      trafficPlot(model.lanes.traffic!, ctx),
      databasePlot(model.lanes.database!, ctx),
      instancesPlot(model.lanes.instances!, ctx),
    ]) {
      const n = spec.data[0].length;
      expect(spec.data.every((d) => d.length === n)).toBe(true);
      expect(spec.options.series).toHaveLength(spec.data.length);
    }
  });

  it('fills the band between its upper and lower series', () => {
    const spec = trafficPlot(model.lanes.traffic!, ctx);
    const labels = spec.options.series.map((s) => s.label);
    expect(spec.options.bands).toEqual([
      { series: [labels.indexOf('Upper band'), labels.indexOf('Lower band')], fill: ctx.palette.band },
    ]);
    expect(spec.legend.map((l) => l.label)).toEqual(['Request rate', 'Baseline (computed)']);
  });

  it('puts backlog on the left axis and lag on the right, with the shared axis widths', () => {
    const spec = databasePlot(model.lanes.database!, ctx);
    const [, left, right] = spec.options.axes!;
    expect(left).toMatchObject({ scale: 'backlog', side: 3, size: 60 });
    expect(right).toMatchObject({ scale: 'lag', side: 1, size: 48 });
    // lanes without a right axis keep its width free, so plotting areas line up
    expect(trafficPlot(model.lanes.traffic!, ctx).options.axes![2]).toMatchObject({ side: 1, size: 48 });
  });

  it('scales small replica lag against its warning threshold, so it reads as flat', () => {
    const spec = databasePlot(
      {
        ...model.lanes.database!,
        lag: model.lanes.database!.lag.map((s) => ({ ...s, values: Float64Array.from(s.values, () => 0.3), gaps: 0 })),
      },
      ctx
    );
    const range = spec.options.scales!.lag.range as (u: uPlot, min: number, max: number) => [number, number];
    expect(range({} as uPlot, 0, 0.3)[1]).toBeGreaterThanOrEqual(model.lanes.database!.limits.lagWarn);
  });

  it('draws healthy and desired as steps, while there are fewer points than pixels', () => {
    expect(model.lanes.instances!.time.length).toBeLessThan(2000);
    const spec = instancesPlot(model.lanes.instances!, { ...ctx, plotWidth: 2000 });
    expect(spec.options.series.slice(1).every((s) => typeof s.paths === 'function')).toBe(true);
    // 100k points on 800 px: uPlot's own thinned lines, identical to the eye and cheap
    expect(
      instancesPlot(model.lanes.instances!, { ...ctx, plotWidth: 100 })
        .options.series.slice(1)
        .every((s) => s.paths === undefined)
    ).toBe(true);
    expect(spec.legend.map((l) => l.label)).toEqual(['Healthy instances', 'Desired instances', 'Minimum healthy']);
  });

  it('keeps wide lines for sparse data only: a dense path is a band already, and costly to stroke wide', () => {
    const widths = (plotWidth: number) =>
      trafficPlot(model.lanes.traffic!, { ...ctx, plotWidth }).options.series[1].width;
    const n = model.lanes.traffic!.time.length;
    expect(widths(n)).toBe(2);
    expect(widths(Math.floor(n / 4) - 1)).toBe(1);
  });

  it('honours the field config\u2019s axis bounds', () => {
    const lane = model.lanes.traffic!;
    const bounded = { ...lane, series: lane.series.map((s) => ({ ...s, min: 100, max: 9000 })) };
    const range = trafficPlot(bounded, ctx).options.scales!.y.range as (
      u: uPlot,
      min: number,
      max: number
    ) => [number, number];
    expect(range({} as uPlot, 0, 4500)).toEqual([100, 9000]);
    const auto = trafficPlot(lane, ctx).options.scales!.y.range as (
      u: uPlot,
      min: number,
      max: number
    ) => [number, number];
    expect(auto({} as uPlot, 0, 4500)).toEqual([0, 4500 * 1.08]);
  });

  it('has no axes in sparkline mode', () => {
    const spec = trafficPlot(model.lanes.traffic!, { ...ctx, compact: true });
    expect(spec.options.axes!.every((a) => a.show === false)).toBe(true);
  });

  it('shades the anomalies and marks the deploys when drawn', async () => {
    const { ctx: canvas } = await mount(trafficPlot(model.lanes.traffic!, ctx));
    const events = canvas.__getEvents();
    const fills = events.filter((e) => e.type === 'fillRect');
    // the shaded surge and the forecast zone; the deploy is labelled in the top lane
    expect(model.lanes.traffic!.anomalies.length).toBeGreaterThan(0);
    expect(fills.length).toBeGreaterThanOrEqual(model.lanes.traffic!.anomalies.length);
    expect(events.some((e) => e.type === 'fillText' && e.props.text === 'v42')).toBe(true);
  });

  it('draws the zero line only where no instance was healthy', async () => {
    const { u, ctx: canvas } = await mount(instancesPlot(model.lanes.instances!, ctx));
    const zero = model.lanes.instances!.zeroStretches[0];
    // The stressed zero line is the only 3 px line: find the moveTo/lineTo drawn after that width is set.
    const events = canvas.__getEvents();
    const widthSet = events.findIndex((e) => e.type === 'lineWidth' && e.props.value === 3 * uPlot.pxRatio);
    expect(widthSet).toBeGreaterThan(-1);
    const from = events.slice(widthSet).find((e) => e.type === 'moveTo')!;
    const to = events.slice(widthSet).find((e) => e.type === 'lineTo')!;
    expect(from.props.y).toBeCloseTo(u.valToPos(0, 'y', true), 3);
    expect(from.props.x).toBeCloseTo(u.valToPos(zero.start, 'x', true), 3);
    expect(to.props.x).toBeCloseTo(u.valToPos(zero.end, 'x', true), 3);
  });

  it('reports the hovered time from the cursor', async () => {
    const seen: Array<number | null> = [];
    const { u } = await mount(trafficPlot(model.lanes.traffic!, { ...ctx, onCursor: (t) => seen.push(t) }));
    u.setCursor({ left: 400, top: 50 });
    u.setCursor({ left: -10, top: -10 });
    expect(seen[seen.length - 2]).toBeCloseTo(u.posToVal(400, 'x'), 0);
    expect(seen[seen.length - 1]).toBeNull();
  });
});

describe('labels', () => {
  it('puts a deploy label left of its marker near the right edge, and none on sparklines', async () => {
    const late = { time: model.range.to - 60_000, label: 'v43-with-a-long-name', source: 'series' as const };
    const el = document.createElement('div');
    document.body.appendChild(el);
    const spec = trafficPlot(model.lanes.traffic!, { ...ctx, deploys: [late] });
    const u = new uPlot({ ...spec.options, width: 800, height: 200 }, spec.data, el);
    await new Promise((resolve) => setTimeout(resolve, 0));
    const events = (
      u.ctx as unknown as { __getEvents(): Array<{ type: string; props: Record<string, unknown> }> }
    ).__getEvents();
    const text = events.find((e) => e.type === 'fillText' && e.props.text === late.label)!;
    expect(text.props.x as number).toBeLessThan(u.valToPos(late.time, 'x', true));

    const compact = databasePlot(model.lanes.database!, { ...ctx, compact: true });
    const cu = new uPlot({ ...compact.options, width: 300, height: 60 }, compact.data, el);
    await new Promise((resolve) => setTimeout(resolve, 0));
    const drawn = (cu.ctx as unknown as { __getEvents(): Array<{ type: string }> }).__getEvents();
    expect(drawn.filter((e) => e.type === 'fillText')).toEqual([]);
  });
});
