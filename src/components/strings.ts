import { t } from '@grafana/i18n';
import { Reason, REASON_TEMPLATES, StatusLevel } from '../model/status';
import { LaneName } from '../testIds';

/**
 * The panel's own words through @grafana/i18n, as Grafana 12 plugins translate them: keys in the plugin's
 * namespace (src/locales/<lang>/cascadewatch-cascade-panel.json), English as the default in the code. Called
 * at render time, never at module load (t() needs the translations initialised by module.ts).
 */
export function laneTitle(lane: LaneName): string {
  switch (lane) {
    case 'traffic':
      return t('lane.traffic', 'Traffic');
    case 'database':
      return t('lane.database', 'Database');
    case 'instances':
      return t('lane.instances', 'Instances');
  }
}

/** The status in status-page words (the model's STATUS_WORDS, translated). */
export function statusWord(level: StatusLevel): string {
  switch (level) {
    case StatusLevel.Operational:
      return t('status.operational', 'Operational');
    case StatusLevel.Degraded:
      return t('status.degraded', 'Degraded performance');
    case StatusLevel.Partial:
      return t('status.partial-outage', 'Partial outage');
    case StatusLevel.Major:
      return t('status.major-outage', 'Major outage');
  }
}

/**
 * A status reason in the user's language: `reason.<id>` in the locale file, the model's English template as the
 * default. Values are names and numbers from the data: React escapes them, so i18next must not as well.
 */
export function reasonText(reason: Reason): string {
  return t(`reason.${reason.id}`, REASON_TEMPLATES[reason.id], {
    ...reason.values,
    interpolation: { escapeValue: false },
  });
}

export const strings = {
  noStage: () => t('header.no-stage', 'No cascade stage active'),
  stageReached: (stage: string, index: number) =>
    t('header.stage-reached', 'Cascade stage reached: {{stage}} ({{index}} of 4)', { stage, index }),
  notes: (count: number) =>
    count === 1 ? t('header.note', '{{count}} note', { count }) : t('header.notes', '{{count}} notes', { count }),
  notesTitle: () => t('header.notes-title', 'Notes about the data'),
  more: (count: number) => t('header.more', '+{{count}} more', { count }),
  pinHint: () => t('tooltip.pin-hint', 'Click to pin, for the data links'),
  legendHint: (label: string) =>
    t('legend.hint', '{{label}}: click to show it alone, ctrl/cmd-click to hide or show it', { label }),
  laneLabel: (title: string) => t('lane.aria-label', '{{title}} lane', { title }),
};
