import React from 'react';
import { cx } from '@emotion/css';
import { useStyles2 } from '@grafana/ui';
import { LegendItem, PlotSpec } from '../../plot/lanes';
import { LaneName, TestIds } from '../../testIds';
import { UPlotChart } from '../UPlotChart/UPlotChart';
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
}

function Legend({ items }: { items: readonly LegendItem[] }) {
  const styles = useStyles2(getStyles);
  return (
    <>
      {items.map((item, i) => (
        <span key={`${item.label}-${i}`} className={styles.legendItem} title={item.label}>
          <span className={cx(styles.swatch, item.dashed && styles.swatchDashed)} style={{ borderColor: item.color }} />
          <span className={styles.legendLabel}>{item.label}</span>
        </span>
      ))}
    </>
  );
}

/** One lane: a title row (name, callouts, legend) over its uPlot chart; just the chart when compact. */
export function Lane({ name, title, spec, width, titleHeight, plotHeight, callouts = [], onPointerEnter }: Props) {
  const styles = useStyles2(getStyles);
  return (
    <div
      className={styles.lane}
      data-testid={TestIds.lane(name)}
      onPointerMove={onPointerEnter}
      aria-label={`${title} lane`}
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
            <Legend items={spec.legend} />
          </span>
        </div>
      )}
      <UPlotChart spec={spec} width={width} height={plotHeight} />
    </div>
  );
}
