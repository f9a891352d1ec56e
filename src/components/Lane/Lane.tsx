import React from 'react';
import { cx } from '@emotion/css';
import { useStyles2 } from '@grafana/ui';
import { LegendClick, legendClickOf } from '../../plot/legend';
import { LegendItem, PlotSpec } from '../../plot/lanes';
import { LaneName, TestIds } from '../../testIds';
import { UPlotChart } from '../UPlotChart/UPlotChart';
import { strings } from '../strings';
import { getStyles } from './Lane.styles';

interface Props {
  name: LaneName;
  title: string;
  spec: PlotSpec;
  width: number;
  titleHeight: number;
  plotHeight: number;
  /** Labels that matter more than the legend: forecasts' ETAs, a deploy's traffic change. */
  callouts?: ReadonlyArray<{ key: string; text: string; testId: string; tone: 'warning' | 'critical' | 'info' }>;
  onPointerEnter?: () => void;
  /** A legend click: isolate or toggle the entry (src/plot/legend.ts). */
  onToggleSeries?: (key: string, click: LegendClick) => void;
}

function Legend({
  items,
  onToggle,
}: {
  items: readonly LegendItem[];
  onToggle?: (key: string, click: LegendClick) => void;
}) {
  const styles = useStyles2(getStyles);
  return (
    <>
      {items.map((item, i) => {
        const content = (
          <>
            <span
              className={cx(styles.swatch, item.dashed && styles.swatchDashed)}
              style={{ borderColor: item.color }}
            />
            <span className={styles.legendLabel}>{item.label}</span>
          </>
        );
        const { key } = item;
        return key && onToggle ? (
          <button
            type="button"
            key={`${key}-${i}`}
            className={cx(styles.legendItem, styles.legendButton, item.hidden && styles.legendHidden)}
            title={strings.legendHint(item.label)}
            aria-pressed={!item.hidden}
            data-testid={TestIds.legendItem}
            onClick={(e) => onToggle(key, legendClickOf(e))}
          >
            {content}
          </button>
        ) : (
          <span key={`${item.label}-${i}`} className={styles.legendItem} title={item.label}>
            {content}
          </span>
        );
      })}
    </>
  );
}

/** One lane: a title row (name, callouts, legend) over its uPlot chart; just the chart when compact. */
export function Lane({
  name,
  title,
  spec,
  width,
  titleHeight,
  plotHeight,
  callouts = [],
  onPointerEnter,
  onToggleSeries,
}: Props) {
  const styles = useStyles2(getStyles);
  return (
    <div
      className={styles.lane}
      data-testid={TestIds.lane(name)}
      onPointerMove={onPointerEnter}
      aria-label={strings.laneLabel(title)}
    >
      {titleHeight > 0 && (
        <div className={styles.title} style={{ height: titleHeight }}>
          <span className={styles.name}>{title}</span>
          {callouts.map((c) => (
            <span key={c.key} className={cx(styles.callout, styles[c.tone])} data-testid={c.testId}>
              {c.text}
            </span>
          ))}
          <span className={styles.legend}>
            <Legend items={spec.legend} onToggle={onToggleSeries} />
          </span>
        </div>
      )}
      <UPlotChart spec={spec} width={width} height={plotHeight} />
    </div>
  );
}
