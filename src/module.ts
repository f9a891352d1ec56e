import { PanelPlugin } from '@grafana/data';
import { CascadeOptions } from './types';
import { CascadePanel } from './components/CascadePanel';

export const plugin = new PanelPlugin<CascadeOptions>(CascadePanel);
