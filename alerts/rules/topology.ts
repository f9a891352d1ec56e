/**
 * Which database cluster each service writes to (config `topology`), recorded as
 * `cascade:service_cluster:info{service, cluster} 1`, and the join that gives a database alert one
 * instance per service using the cluster, so each team gets its own.
 *
 * PromQL cannot join many to many: a cluster with several nodes and several services has no
 * one-to-one match. Database alerts are therefore reduced to one series per cluster first and then
 * joined to every service of that cluster (one cluster, many services is a one-to-many join).
 */
import type { CascadeConfig, InputSignal } from '../../config/schema';
import { by, labelList, selector } from '../promql';
import { record } from './build';
import type { RecordingRule } from './model';
import { SERIES as S } from './series';

/** A string as a PromQL string literal, safe as a label_replace replacement (`$` is special there). */
function replacement(value: string): string {
  return JSON.stringify(value.replace(/\$/g, '$$$$'));
}

/** A string matched literally by a PromQL (RE2) regex. */
function literalRegex(value: string): string {
  return value.replace(/[\\.^$|?*+()[\]{}]/g, '\\$&');
}

/**
 * The static pairs of one cluster: its services, as the recorded series name them, labelled with
 * the cluster. One term per cluster (not per service) keeps a fleet's rule short and cheap.
 */
function staticCluster(cluster: string, services: string[], serviceSeries: string[]): string {
  const matcher = `{service=~${JSON.stringify(services.map(literalRegex).join('|'))}}`;
  const present = serviceSeries.map((series) => `${series}${matcher}`).join(' or ');
  return `label_replace(group by (service) (${present}), "cluster", ${replacement(cluster)}, "", "")`;
}

/** Recorded series that name the services and the clusters, among the enabled signals. */
function servicesAndClusters(c: CascadeConfig): { services: string[]; clusters: string[] } {
  const enabled = (pairs: Array<[InputSignal, string]>) =>
    pairs.filter(([key]) => c.signals[key].enabled).map(([, series]) => series);
  return {
    services: enabled([
      ['traffic', S.requests],
      ['desiredInstances', S.desired],
      ['healthyInstances', S.healthy],
    ]),
    clusters: enabled([
      ['writeBacklog', S.backlog],
      ['writesApplied', S.writesApplied],
      ['dbUtilization', S.utilization],
      ['replicaLag', S.lag],
    ]),
  };
}

/**
 * The topology's PromQL: the static pairs (for the services the recorded series know), the user's
 * info metric, or (neither configured) every
 * service paired with the cluster when there is exactly one. With several clusters and no topology
 * the guard yields nothing rather than a many-to-many error, and database alerts keep `cluster` alone.
 */
export function topologyExpr(c: CascadeConfig): string | undefined {
  const { services, metric } = c.topology;
  const found = servicesAndClusters(c);
  const listed = [...new Set(services.map((p) => p.cluster))];
  const parts =
    found.services.length === 0
      ? []
      : listed.map((cluster) =>
          staticCluster(
            cluster,
            services.filter((p) => p.cluster === cluster).map((p) => p.service),
            found.services
          )
        );
  if (metric !== null) {
    let expr = selector({ enabled: true, metric: metric.metric, matchers: metric.matchers, labels: {} });
    for (const label of ['service', 'cluster'] as const) {
      if (metric.labels[label] !== label) {
        expr = `label_replace(${expr}, "${label}", "$1", "${metric.labels[label]}", "(.*)")`;
      }
    }
    parts.push(`group by (service, cluster) (${expr})`);
  }
  if (parts.length > 0) {
    return parts.join('\nor\n');
  }
  if (found.services.length === 0 || found.clusters.length === 0) {
    return undefined;
  }
  const grouping = labelList(c);
  const clusters = `group ${by(c, 'cluster')} (${found.clusters.join(' or ')})`;
  return [
    `group ${by(c, 'service', 'cluster')} (`,
    `  group ${by(c, 'service')} (${found.services.join(' or ')})`,
    `  * on (${grouping}) group_left (cluster)`,
    `  (${clusters} and on (${grouping}) count by (${grouping}) (${clusters}) == 1)`,
    `)`,
  ].join('\n');
}

export function topologyRecording(c: CascadeConfig): RecordingRule[] {
  const expr = topologyExpr(c);
  return expr === undefined
    ? []
    : [
        record(S.serviceCluster, expr, {
          by: ['service', 'cluster'],
          help:
            'Which database cluster each service writes to (1), from the `topology` configuration; with no topology, ' +
            'every service and the single cluster (none when there are several).',
          needs: [],
        }),
      ];
}

/**
 * A per-cluster expression (one series per cluster and grouping labels) as one series per service
 * that writes to the cluster, labelled service and cluster (and the `carry` labels of the
 * per-cluster series); clusters no service is mapped to keep
 * their series without `service`, so nothing goes silent for want of a topology.
 */
export function toServices(c: CascadeConfig, perCluster: string, carry: string[] = []): string {
  const kept = [...carry, ...c.groupingLabels];
  const carried = kept.length > 0 ? ` (${kept.join(', ')})` : '';
  const indented = perCluster.replace(/\n/g, '\n  ');
  return [
    `(`,
    `  ${indented}`,
    `) * on (cluster) group_right${carried} ${S.serviceCluster}`,
    `or`,
    `(`,
    `  ${indented}`,
    `) unless on (cluster) ${S.serviceCluster}`,
  ].join('\n');
}

/**
 * A context query for a database alert: a per-cluster value carried onto the alert's service (the
 * alert's matchers select the service-cluster pair).
 */
export function clusterContext(perCluster: string): (matchers: string) => string {
  return (matchers) => `(${perCluster}) * on (cluster) group_right ${S.serviceCluster}{${matchers}}`;
}
