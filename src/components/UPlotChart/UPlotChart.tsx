import React, { useLayoutEffect, useRef } from 'react';
import uPlot from 'uplot';
import { useStyles2 } from '@grafana/ui';
import { PlotSpec } from '../../plot/lanes';
import { getStyles } from './UPlotChart.styles';

interface Props {
  spec: PlotSpec;
  width: number;
  height: number;
}

/**
 * One uPlot instance. It is rebuilt when its spec changes (new data or theme: the spec's draw hooks close
 * over the lane they draw) and resized in place when only the size changes.
 */
export function UPlotChart({ spec, width, height }: Props) {
  const styles = useStyles2(getStyles);
  const container = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  // The size at the time the plot is (re)built; kept current by the first effect, which runs before the second.
  const size = useRef({ width, height });
  useLayoutEffect(() => {
    size.current = { width, height };
  }, [width, height]);

  useLayoutEffect(() => {
    const u = new uPlot({ ...spec.options, ...size.current }, spec.data, container.current!);
    plot.current = u;
    return () => {
      u.destroy();
      plot.current = null;
    };
  }, [spec]);

  useLayoutEffect(() => {
    const u = plot.current;
    if (u && (u.width !== width || u.height !== height)) {
      u.setSize({ width, height });
    }
  }, [width, height]);

  return <div ref={container} className={styles.chart} style={{ width, height }} />;
}
