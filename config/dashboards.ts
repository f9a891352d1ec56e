/**
 * The `dashboards` key of the configuration: the provisioned dashboards' uids, titles, tags and refresh.
 * The data source they default to is `grafanaDatasourceUid`; the SLO and thresholds they draw are the
 * pack's own keys (`slo`, `replicas`, ...), so a dashboard's lines are the alerts' lines.
 */
import { z } from 'zod';

const dashboardIdentity = z
  .object({
    /** Grafana's uid (the `/d/<uid>/` of its URL): letters, digits, - and _, at most 40. */
    uid: z
      .string({ error: 'expected a dashboard uid' })
      .regex(/^[a-zA-Z0-9_-]{1,40}$/, 'expected a dashboard uid (letters, digits, - and _, at most 40)'),
    title: z.string({ error: 'expected a dashboard title' }).min(1, 'expected a dashboard title'),
  })
  .strict();

export const dashboardsSchema = z
  .object({
    /** The Cascade panel and the signals behind it, for one service and its database cluster. */
    overview: dashboardIdentity,
    /** Per route, the window after the latest deploy against the window before it. */
    deployWatch: dashboardIdentity,
    /** Tags on both dashboards (Grafana's dashboard search and the dashboard list panel filter by them). */
    tags: z.array(z.string().min(1, 'expected a non-empty tag'), { error: 'expected a list of tags' }),
    /** Auto-refresh of the overview and of the deploy watch (Grafana's intervals: 10s, 30s, 1m, ...). */
    refresh: z
      .object({
        overview: z.string().regex(/^\d+[smhd]$/, 'expected an interval such as 30s or 1m'),
        deployWatch: z.string().regex(/^\d+[smhd]$/, 'expected an interval such as 30s or 1m'),
      })
      .strict(),
  })
  .strict();

export type DashboardsConfig = z.infer<typeof dashboardsSchema>;

export const DEFAULT_DASHBOARDS: DashboardsConfig = {
  overview: { uid: 'cascade-overview', title: 'Cascade overview' },
  deployWatch: { uid: 'cascade-deploy-watch', title: 'Deploy watch' },
  tags: ['cascade-watch'],
  refresh: { overview: '30s', deployWatch: '10s' },
};

/** Grafana's slug for a title, as its own URLs write it (lower case, words joined by -). */
export function dashboardSlug(title: string): string {
  return (
    title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'dashboard'
  );
}

/** The path of a dashboard in Grafana (`/d/<uid>/<slug>`), for links from the alerts and between dashboards. */
export function dashboardPath(config: { dashboards: DashboardsConfig }, which: 'overview' | 'deployWatch'): string {
  const d = config.dashboards[which];
  return `/d/${d.uid}/${dashboardSlug(d.title)}`;
}
