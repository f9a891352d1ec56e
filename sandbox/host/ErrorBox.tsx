import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import React, { useEffect, useState } from 'react';

import { ErrorLog, HostError } from './errors';
import { HostTestIds } from './testIds';

/** Every error the page has seen, visible to people and to the browser tests. Absent while there are none. */
export function ErrorBox({ errors, theme }: { errors: ErrorLog; theme: GrafanaTheme2 }) {
  const [list, setList] = useState<readonly HostError[]>(errors.list());
  useEffect(() => {
    setList(errors.list());
    return errors.subscribe(setList);
  }, [errors]);

  if (list.length === 0) {
    return null;
  }
  const styles = getStyles(theme);
  return (
    <section className={styles.box} data-testid={HostTestIds.errorBox} role="alert">
      <h2 className={styles.heading}>{list.length === 1 ? '1 error' : `${list.length} errors`}</h2>
      <ol className={styles.list}>
        {list.map((error, i) => (
          <li key={i}>
            <strong>{error.source}:</strong> {error.message}
            {error.detail && (
              <details>
                <summary>details</summary>
                <pre className={styles.detail}>{error.detail}</pre>
              </details>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}

function getStyles(theme: GrafanaTheme2) {
  return {
    box: css({
      margin: theme.spacing(0, 0, 2),
      padding: theme.spacing(1, 2),
      border: `1px solid ${theme.colors.error.border}`,
      background: theme.colors.error.transparent,
      color: theme.colors.text.primary,
      borderRadius: theme.shape.radius.default,
      maxWidth: 1200,
    }),
    heading: css({
      fontSize: theme.typography.h5.fontSize,
      margin: theme.spacing(0, 0, 1),
      color: theme.colors.error.text,
    }),
    list: css({ margin: 0, paddingLeft: theme.spacing(3) }),
    detail: css({
      whiteSpace: 'pre-wrap',
      fontSize: theme.typography.bodySmall.fontSize,
      maxHeight: 300,
      overflow: 'auto',
    }),
  };
}
