import React, { useState } from 'react';
import { cx } from '@emotion/css';
import { useStyles2 } from '@grafana/ui';
import { CascadeStatus, STAGES, StatusLevel } from '../../model/status';
import { HeaderLayout } from '../../plot/layout';
import { TestIds } from '../../testIds';
import { reasonText, statusWord, strings } from '../strings';
import { getStyles } from './StatusHeader.styles';

interface Props {
  status: CascadeStatus;
  notices: readonly string[];
  compact: boolean;
  /** Where the reasons go (layoutHeader): beside the status word, or on lines of their own under it. */
  layout?: HeaderLayout;
}

/** The stage as the header's first row shows it (layoutHeader measures this text). */
export function stageLabel(status: CascadeStatus, compact: boolean): string {
  if (!status.stageReached) {
    return '';
  }
  return compact ? status.stageReached : `Cascade: ${status.activeStages.join(' → ')}`;
}

const STAGE_LABELS = { traffic: 'traffic', backlog: 'backlog', replicas: 'replicas', instances: 'instances' } as const;

/** The status in status-page words, the reasons in one line, and how far down the cascade it has gone. */
export function StatusHeader({ status, notices, compact, layout }: Props) {
  const styles = useStyles2(getStyles);
  const [showNotices, setShowNotices] = useState(false);
  const reasons = status.reasons.map(reasonText).join(' · ');
  const reached = status.stageReached ? STAGES.indexOf(status.stageReached) : -1;
  const stageText = reached < 0 ? strings.noStage() : strings.stageReached(status.stageReached ?? '', reached + 1);
  const levelClass = [styles.operational, styles.degraded, styles.partial, styles.major][status.level];

  const inline = compact || !layout || layout.inline;
  const reasonLines = inline ? null : (
    <div className={styles.reasonLines} title={reasons} data-testid={TestIds.reasons}>
      {layout!.lines.map((line, i) => (
        <div key={i} className={styles.reasonLine}>
          {/* Keeps the text one " · "-separated list for screen readers and copy-paste. */}
          {i > 0 && <span className={styles.srOnly}> · </span>}
          {line.join(' · ')}
          {i === layout!.lines.length - 1 && layout!.overflow > 0 && (
            <span className={styles.more}> · {strings.more(layout!.overflow)}</span>
          )}
        </div>
      ))}
    </div>
  );

  return (
    <div>
      <div className={cx(styles.header, compact && styles.compact)} data-testid={TestIds.header}>
        <span className={cx(styles.dot, levelClass)} aria-hidden />
        <span
          className={cx(styles.status, status.level > StatusLevel.Operational && levelClass)}
          data-testid={TestIds.status}
        >
          {statusWord(status.level)}
        </span>
        {inline ? (
          <span className={styles.reasons} title={reasons} data-testid={TestIds.reasons}>
            {reasons}
          </span>
        ) : (
          <span className={styles.spacer} />
        )}
        <span className={cx(styles.stage, reached < 0 && styles.srOnly)} data-testid={TestIds.stage} title={stageText}>
          {reached < 0 ? stageText : stageLabel(status, compact)}
        </span>
        {!compact && (
          <span className={styles.chain} aria-hidden title="traffic → backlog → replicas → instances">
            {STAGES.map((stage) => (
              <span
                key={stage}
                className={cx(
                  styles.chainDot,
                  status.activeStages.includes(stage) && [levelClass, styles.chainDotActive]
                )}
                title={STAGE_LABELS[stage]}
              />
            ))}
          </span>
        )}
        {notices.length > 0 && (
          <span className={styles.noticeWrap}>
            <button
              type="button"
              className={styles.noticeButton}
              onClick={() => setShowNotices((v) => !v)}
              aria-expanded={showNotices}
              title={strings.notesTitle()}
            >
              {strings.notes(notices.length)}
            </button>
            {showNotices && (
              <ul className={styles.noticeList} data-testid={TestIds.notices}>
                {notices.map((n, i) => (
                  <li key={i}>{n}</li>
                ))}
              </ul>
            )}
          </span>
        )}
      </div>
      {reasonLines}
    </div>
  );
}
