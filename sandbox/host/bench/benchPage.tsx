/**
 * The render benchmark's page (`mode=bench`): the whole Cascade panel against bare uPlot drawing the
 * same series in the same number of plots, measured the same way. Everything both sides share is
 * prepared before the clock starts: frames with field overrides applied (Grafana does that before a
 * panel sees data), and for uPlot its x/y arrays. A run is timed from handing over the data to the
 * first animation frame after the last canvas drawing call (see drawProbe.ts); bare uPlot's draw
 * hook must have fired by then. sandbox/bench.ts drives it through `window.cascadeBench`.
 */
import { DataFrame, FieldType, GrafanaTheme2, PanelPlugin, PanelProps, ThemeContext, EventBusSrv } from '@grafana/data';
import { PanelContextProvider } from '@grafana/ui';
import React from 'react';
import { flushSync } from 'react-dom';
import { createRoot, Root } from 'react-dom/client';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

import { loadCase } from '../../cases';
import { REF } from '../../cases/catalog';
import type { DrawProbe } from '../drawProbe';
import { ErrorLog } from '../errors';
import { applyFieldConfig, resolveFieldConfig, resolveOptions } from '../panelOptions';
import { HostParams } from '../params';
import { nextFrame, waitForSettled } from '../settle';

export const BENCH_CASE = 'bench-100k';

/** The three lanes of the panel and the series (by query refId) each one draws. */
export const BENCH_LANES: ReadonlyArray<{ readonly name: string; readonly refIds: readonly string[] }> = [
  { name: 'traffic', refIds: [REF.rate, REF.upper, REF.lower] },
  { name: 'database', refIds: [REF.backlog, REF.lag] },
  { name: 'instances', refIds: [REF.healthy, REF.desired] },
];

export interface BenchInfo {
  readonly width: number;
  readonly height: number;
  readonly lanes: number;
  readonly series: number;
  readonly pointsPerSeries: number;
}

export interface BenchRun {
  /** From handing over the data to the first animation frame after the last canvas drawing call. */
  readonly ms: number;
  /** From handing over the data to the last canvas drawing call (finer grained: not rounded up to a frame). */
  readonly drawnMs: number;
  /** From handing over the data to the last DOM change (where the time after the last drawing call goes). */
  readonly mutatedMs: number;
  /** Canvas drawing calls made during the run (0 means nothing was drawn: not a chart). */
  readonly drawCalls: number;
  readonly canvases: number;
}

export interface CascadeBenchApi {
  readonly info: BenchInfo;
  /** Mounts the panel with the benchmark data and times it until painted. */
  runPanel(): Promise<BenchRun>;
  /** Creates the bare uPlot plots with the same series and times them until painted. */
  runUplot(): Promise<BenchRun>;
}

declare global {
  interface Window {
    cascadeBench?: CascadeBenchApi;
  }
}

interface BenchPageArgs {
  readonly container: HTMLElement;
  readonly params: HostParams;
  readonly theme: GrafanaTheme2;
  readonly loadPlugin: () => Promise<PanelPlugin>;
  readonly probe: DrawProbe;
  readonly errors: ErrorLog;
}

export function startBenchPage(args: BenchPageArgs): void {
  prepare(args)
    .then((api) => {
      window.cascadeBench = api;
      document.body.dataset.hostState = 'bench';
    })
    .catch((error: unknown) => {
      args.errors.add('host', error);
      args.container.textContent = `Benchmark setup failed: ${error instanceof Error ? error.message : String(error)}`;
      document.body.dataset.hostState = 'failed';
    })
    .finally(() => {
      document.body.dataset.ready = '1';
    });
}

async function prepare({ container, params, theme, loadPlugin, probe }: BenchPageArgs): Promise<CascadeBenchApi> {
  const [plugin, sandboxCase] = await Promise.all([loadPlugin(), loadCase(BENCH_CASE)]);
  const { width, height } = params;
  const replaceVariables = (value: string) => value;
  const options = resolveOptions(plugin, sandboxCase.options);
  const fieldConfig = resolveFieldConfig(plugin, sandboxCase.fieldConfig);
  const data = applyFieldConfig(sandboxCase.data, plugin, fieldConfig, theme, replaceVariables);
  const eventBus = new EventBusSrv();
  const Panel = plugin.panel as React.ComponentType<PanelProps<Record<string, unknown>>>;

  const lanes = BENCH_LANES.map((lane) => uplotDataFor(data.series, lane.refIds));
  const pointsPerSeries = lanes[0][0].length;

  const stage = document.createElement('div');
  stage.style.width = `${width}px`;
  stage.style.height = `${height}px`;
  stage.style.position = 'relative';
  container.appendChild(stage);

  let root: Root | undefined;
  let plots: uPlot[] = [];

  /** Clears the stage and lets the browser settle, so no run pays for the previous one's teardown. */
  async function reset(): Promise<void> {
    root?.unmount();
    root = undefined;
    plots.forEach((p) => p.destroy());
    plots = [];
    stage.replaceChildren();
    await nextFrame();
    await nextFrame();
  }

  async function timed(render: () => void): Promise<BenchRun> {
    await reset();
    const drawsBefore = probe.count;
    const start = performance.now();
    render();
    const { paintedAt, lastMutationAt, timedOut } = await waitForSettled(stage, probe);
    if (timedOut) {
      throw new Error('The render did not settle within 15 s.');
    }
    const drawCalls = probe.count - drawsBefore;
    return {
      ms: paintedAt - start,
      drawnMs: drawCalls > 0 ? probe.lastAt - start : 0,
      mutatedMs: lastMutationAt - start,
      drawCalls,
      canvases: stage.querySelectorAll('canvas').length,
    };
  }

  return {
    info: { width, height, lanes: lanes.length, series: lanes.reduce((n, l) => n + l.length - 1, 0), pointsPerSeries },

    runPanel: () =>
      timed(() => {
        root = createRoot(stage);
        const mountedRoot = root;
        flushSync(() =>
          mountedRoot.render(
            <ThemeContext.Provider value={theme}>
              <PanelContextProvider value={{ eventsScope: 'global', eventBus }}>
                <Panel
                  id={1}
                  data={data}
                  timeRange={data.timeRange}
                  timeZone="utc"
                  options={options}
                  fieldConfig={fieldConfig}
                  transparent={false}
                  width={width}
                  height={height}
                  renderCounter={0}
                  title={sandboxCase.title}
                  eventBus={eventBus}
                  onOptionsChange={() => {}}
                  onFieldConfigChange={() => {}}
                  replaceVariables={replaceVariables}
                  onChangeTimeRange={() => {}}
                />
              </PanelContextProvider>
            </ThemeContext.Provider>
          )
        );
      }),

    runUplot: async () => {
      let drawn = 0;
      const run = await timed(() => {
        const laneHeight = Math.floor(height / lanes.length);
        plots = lanes.map((laneData, i) => {
          const el = document.createElement('div');
          stage.appendChild(el);
          return new uPlot(
            bareOptions(theme, width, laneHeight, laneData.length - 1, BENCH_LANES[i].name, () => drawn++),
            laneData,
            el
          );
        });
      });
      if (drawn < lanes.length) {
        throw new Error(`Only ${drawn} of ${lanes.length} uPlot draw hooks fired.`);
      }
      return run;
    },
  };
}

/** uPlot's data for one lane: x in seconds, then each series' values, from the case's frames. */
function uplotDataFor(series: readonly DataFrame[], refIds: readonly string[]): uPlot.AlignedData {
  const frames = refIds.map((refId) => {
    const frame = series.find((f) => f.refId === refId);
    if (!frame) {
      throw new Error(`The benchmark case has no frame for query ${refId}.`);
    }
    return frame;
  });
  const time = frames[0].fields.find((f) => f.type === FieldType.time);
  if (!time) {
    throw new Error(`Frame ${refIds[0]} has no time field.`);
  }
  const xs = Float64Array.from(time.values as number[], (t) => t / 1000);
  const ys = frames.map((frame) => {
    const values = frame.fields.find((f) => f.type === FieldType.number)?.values as number[] | undefined;
    if (!values || values.length !== xs.length) {
      throw new Error(`Frame ${frame.refId} does not line up with the time field of ${refIds[0]}.`);
    }
    return values;
  });
  return [xs, ...ys];
}

function bareOptions(
  theme: GrafanaTheme2,
  width: number,
  height: number,
  seriesCount: number,
  title: string,
  onDraw: () => void
): uPlot.Options {
  const axis = { stroke: theme.colors.text.secondary, grid: { stroke: theme.colors.border.weak, width: 1 } };
  return {
    width,
    height,
    title,
    legend: { show: false },
    scales: { x: { time: true } },
    axes: [axis, axis],
    series: [
      {},
      ...Array.from({ length: seriesCount }, (_, i) => ({
        stroke: theme.visualization.getColorByName(theme.visualization.palette[i % theme.visualization.palette.length]),
        width: 1,
      })),
    ],
    hooks: { draw: [onDraw] },
  };
}
