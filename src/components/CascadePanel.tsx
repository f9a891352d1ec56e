import React from 'react';
import { PanelProps } from '@grafana/data';
import { CascadeOptions } from '../types';

export function CascadePanel({ width, height }: PanelProps<CascadeOptions>) {
  return <div style={{ width, height }}>Cascade Watch</div>;
}
