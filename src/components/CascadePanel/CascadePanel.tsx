import React, { useCallback, useEffect, useId, useMemo, useState } from 'react';
import uPlot from 'uplot';
import { PanelProps } from '@grafana/data';
import { Icon, usePanelContext, useStyles2, useTheme2 } from '@grafana/ui';
import { buildCascadeModel, CascadeModel, LaneSeries } from '../../model/cascade';
import { deployImpactText } from '../../model/status';
import { databasePlot, instancesPlot, PlotContext, PlotSpec, trafficPlot } from '../../plot/lanes';
import { panelAnnotations } from '../../plot/annotations';
import { COMPACT_HEIGHT, layoutHeader, layoutPanel } from '../../plot/layout';
import { LegendClick, legendKey, nextHidden } from '../../plot/legend';
import { makePalette } from '../../plot/palette';
import { LaneName, TestIds } from '../../testIds';
import { CascadeOptions } from '../../types';
import { createHoverStore, releaseOnEscape } from '../HoverTooltip/hoverStore';
import { HoverTooltip } from '../HoverTooltip/HoverTooltip';
import { FieldLookup, fieldLookup } from '../HoverTooltip/dataLinks';
import { Lane } from '../Lane/Lane';
import { COMPACT_HEADER_HEIGHT, HEADER_HEIGHT } from '../StatusHeader/StatusHeader.styles';
import { stageLabel, StatusHeader } from '../StatusHeader/StatusHeader';
import { laneTitle, reasonText, statusWord } from '../strings';
import { getStyles } from './CascadePanel.styles';
import { createCursorSyncLink } from './cursorSync';

function toMs(t: unknown): number {
  const v =
    t && typeof (t as { valueOf(): unknown }).valueOf === 'function'
      ? Number((t as { valueOf(): unknown }).valueOf())
      : NaN;
  return Number.isFinite(v) ? v : NaN;
}

function laneSpec(name: LaneName, model: CascadeModel, ctx: PlotContext): PlotSpec | null {
  const { traffic, database, instances } = model.lanes;
  if (name === 'traffic' && traffic) {
    return trafficPlot(traffic, ctx);
  }
  if (name === 'database' && database) {
    return databasePlot(database, ctx);
  }
  if (name === 'instances' && instances) {
    return instancesPlot(instances, ctx);
  }
  return null;
}

function callouts(name: LaneName, model: CascadeModel) {
  const o = model.options;
  if (name === 'traffic' && model.deployImpact && model.lanes.traffic) {
    const impact = model.deployImpact;
    const text = deployImpactText(impact, model.lanes.traffic.unit);
    return [
      {
        key: 'deploy',
        text,
        testId: TestIds.deployImpact,
        tone: Math.abs(impact.change) >= o.deploys.impactThreshold ? ('warning' as const) : ('info' as const),
      },
    ];
  }
  if (name === 'database' && model.lanes.database) {
    return model.lanes.database.forecasts.map((f) => ({
      key: f.role,
      text: f.text,
      testId: TestIds.eta,
      tone:
        f.forecast.kind === 'draining'
          ? ('info' as const)
          : f.forecast.etaMs < 15 * 60_000
            ? ('critical' as const)
            : ('warning' as const),
    }));
  }
  return [];
}

/** The legend keys hidden by a click, plus those of series whose field an override hides from the viz. */
function withConfigHidden(clicked: ReadonlySet<string>, model: CascadeModel, fields: FieldLookup): ReadonlySet<string> {
  const { traffic, database, instances } = model.lanes;
  const lanes: Array<[string, readonly LaneSeries[]]> = [
    ['traffic', traffic?.series ?? []],
    ['database', database ? [...database.backlog, ...database.lag, ...database.utilization] : []],
    ['instances', instances ? [...instances.healthy, ...instances.desired] : []],
  ];
  const byConfig = lanes.flatMap(([lane, series]) =>
    series.filter((s) => fields(s)?.field.config.custom?.hideFrom?.viz === true).map((s) => legendKey(lane, s.label))
  );
  return byConfig.length === 0 ? clicked : new Set([...clicked, ...byConfig]);
}

/**
 * The Cascade panel: the status header over three lanes that share one time axis and one crosshair.
 * Everything it shows comes from the model (src/model), built once per data or options change.
 */
export function CascadePanel({
  data,
  options,
  width,
  height,
  timeRange,
  timeZone,
  onChangeTimeRange,
  eventBus,
}: PanelProps<CascadeOptions>) {
  const theme = useTheme2();
  const styles = useStyles2(getStyles);
  const syncKey = `cascade-${useId()}`;
  const hover = useMemo(() => createHoverStore(), []);
  useEffect(() => {
    const onKey = releaseOnEscape(hover);
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [hover]);
  const attachRoot = useCallback((el: HTMLDivElement | null) => hover.attach(el), [hover]);

  // The dashboard's shared crosshair/tooltip: the lanes' plots, moved together when another panel is hovered.
  const panelContext = usePanelContext();
  const bus = eventBus ?? panelContext.eventBus;
  const plots = useMemo(() => new Set<uPlot>(), []);
  const cursorSync = useMemo(() => createCursorSyncLink(), []);
  useEffect(() => cursorSync.setMode(panelContext.sync), [cursorSync, panelContext.sync]);
  useEffect(
    () =>
      cursorSync.connect(bus, {
        show(time, withTooltip) {
          let shownIn: uPlot | null = null;
          for (const u of plots) {
            const left = u.valToPos(time, 'x');
            const inside = left >= 0 && left <= u.bbox.width / uPlot.pxRatio;
            u.setCursor({ left: inside ? left : -10, top: inside ? u.bbox.height / uPlot.pxRatio / 2 : -10 });
            shownIn = inside ? (shownIn ?? u) : shownIn;
          }
          if (withTooltip && shownIn) {
            hover.showRemote(time, shownIn);
          } else {
            hover.clear();
          }
        },
        hide() {
          plots.forEach((u) => u.setCursor({ left: -10, top: -10 }));
          hover.clear();
        },
      }),
    [cursorSync, bus, plots, hover]
  );

  const from = toMs(timeRange?.from);
  const to = toMs(timeRange?.to);
  const model = useMemo(
    () =>
      buildCascadeModel(
        {
          series: data?.series,
          annotations: data?.annotations,
          timeRange: Number.isFinite(from) && Number.isFinite(to) ? { from, to } : undefined,
        },
        options
      ),
    [data?.series, data?.annotations, from, to, options]
  );

  const compactHeader = height < COMPACT_HEIGHT;
  const header = useMemo(
    () =>
      compactHeader
        ? undefined
        : layoutHeader(
            {
              word: statusWord(model.status.level),
              reasons: model.status.reasons.map(reasonText),
              stage: stageLabel(model.status, false),
              notes: model.notices.length,
            },
            width,
            HEADER_HEIGHT
          ),
    [compactHeader, model, width]
  );
  const headerHeight = header?.height ?? COMPACT_HEADER_HEIGHT;
  const layout = useMemo(
    () => layoutPanel(model, width, height - headerHeight, compactHeader),
    [model, width, height, headerHeight, compactHeader]
  );
  const palette = useMemo(() => makePalette(theme), [theme]);
  const fields = useMemo(() => fieldLookup(data?.series), [data?.series]);
  const annotations = useMemo(() => panelAnnotations(model), [model]);
  // Legend entries hidden by a click (the time series panel's isolate / ctrl-click toggle), kept while the panel lives.
  const [clicked, setHidden] = useState<ReadonlySet<string>>(() => new Set());
  // Series an override hides from the viz (hideFrom.viz, "Hide in area"), hidden as the time series panel does.
  const hidden = useMemo(() => withConfigHidden(clicked, model, fields), [clicked, model, fields]);

  const onSelectRange = useCallback(
    (f: number, t: number) => onChangeTimeRange?.({ from: f, to: t }),
    [onChangeTimeRange]
  );

  const specs = useMemo(
    () =>
      layout.lanes.map((lane) => {
        const ctx: PlotContext = {
          palette,
          range: model.range,
          deploys: model.deploys,
          annotations,
          timeZone,
          syncKey,
          axisSizes: layout.axisSizes,
          showTimeAxis: lane.showTimeAxis,
          compact: layout.compact,
          plotWidth: width - layout.axisSizes.left - layout.axisSizes.right,
          onSelectRange,
          onCursor: (time, u) => {
            hover.cursorMoved(lane.name, time, u);
            if (hover.isActive(lane.name)) {
              cursorSync.publish(time);
            }
          },
          onPlot: (u, alive) => (alive ? plots.add(u) : plots.delete(u)),
          hidden,
        };
        return { lane, spec: laneSpec(lane.name, model, ctx) };
      }),
    [layout, model, palette, timeZone, syncKey, onSelectRange, hover, width, plots, cursorSync, hidden, annotations]
  );
  const toggleSeries = useCallback(
    (laneKeys: readonly string[], key: string, click: LegendClick) =>
      setHidden((current) => nextHidden(laneKeys, current, key, click)),
    []
  );

  if (model.missing) {
    return (
      <div className={styles.root} style={{ width, height }} data-testid={TestIds.panel}>
        <div className={styles.message} data-testid={TestIds.message} role="status">
          <Icon name="info-circle" size="lg" />
          <div>{model.missing}</div>
        </div>
      </div>
    );
  }

  return (
    <div
      ref={attachRoot}
      className={styles.root}
      style={{ width, height }}
      data-testid={TestIds.panel}
      onClick={(e) => {
        // A click in a plot pins the tooltip (or lets it go); clicks on the legend, header or links do not.
        if ((e.target as HTMLElement).closest?.('.u-over')) {
          hover.togglePin();
        }
      }}
      onPointerLeave={() => {
        hover.leave();
        cursorSync.publish(null);
      }}
    >
      <StatusHeader status={model.status} notices={model.notices} compact={compactHeader} layout={header} />
      {specs.map(({ lane, spec }) =>
        spec ? (
          <Lane
            key={lane.name}
            name={lane.name}
            title={laneTitle(lane.name)}
            spec={spec}
            width={width}
            titleHeight={lane.titleHeight}
            plotHeight={lane.plotHeight}
            callouts={callouts(lane.name, model)}
            onPointerEnter={() => hover.enterLane(lane.name)}
            onToggleSeries={(key, click) =>
              toggleSeries(
                spec.legend.flatMap((item) => (item.key ? [item.key] : [])),
                key,
                click
              )
            }
          />
        ) : null
      )}
      <HoverTooltip
        store={hover}
        model={model}
        timeZone={timeZone}
        panelWidth={width}
        panelHeight={height}
        hidden={hidden}
        fields={fields}
        annotations={annotations}
        // What is "at" an annotation's marker: within 6 px of it.
        annotationToleranceMs={((model.range.end - model.range.from) / Math.max(1, width)) * 6}
      />
    </div>
  );
}
