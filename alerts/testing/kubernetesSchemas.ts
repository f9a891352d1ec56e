/**
 * What the Kubernetes API server and prometheus-operator accept, for the fields the pack emits, written from
 * prometheus-operator v0.93.0's CRD (example/prometheus-operator-crd/monitoring.coreos.com_prometheusrules.yaml,
 * operator.prometheus.io/version 0.93.0) and Kubernetes' object-name and label rules. Tests validate the rendered
 * manifests against these; `.strict()` stands for the API server's strict field validation, which refuses a
 * field the CRD does not declare.
 */
import { z } from 'zod';

/**
 * The CRD's duration pattern: "0", or whole numbers with the units y, w, d, h, m, s, ms, each at most once and
 * in that order ("1h30m" passes, "30m1h" and "1.5h" do not). Used by `interval`, `for` and `keep_firing_for`.
 */
const UNITS = ['y', 'w', 'd', 'h', 'm', 's', 'ms'];
export const CRD_DURATION = new RegExp(`^(0|${UNITS.map((u) => `([0-9]+${u})?`).join('')})$`);

/** RFC 1123 label: at most 63 lower-case letters, digits and '-', alphanumeric at both ends (namespaces). */
export const DNS_1123_LABEL = /^(?=.{1,63}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** RFC 1123 subdomain: dot-separated labels, at most 253 characters (names of ConfigMaps and custom resources). */
export const DNS_1123_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** Label and annotation keys: [DNS subdomain prefix '/'] name of at most 63 characters. */
const QUALIFIED_NAME =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
/** Label values: empty, or at most 63 of [-A-Za-z0-9_.] with alphanumerics at both ends. */
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;
/** A Prometheus metric name: what a recording rule's `record` must be. */
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

const duration = z.string().regex(CRD_DURATION, 'not a duration the CRD accepts');
const stringMap = z.record(z.string(), z.string());

const objectMeta = z
  .object({
    name: z.string().regex(DNS_1123_SUBDOMAIN, 'metadata.name must be a DNS-1123 subdomain'),
    namespace: z.string().regex(DNS_1123_LABEL, 'metadata.namespace must be a DNS-1123 label'),
    labels: z.record(
      z.string().regex(QUALIFIED_NAME, 'bad label key'),
      z.string().regex(LABEL_VALUE, 'bad label value')
    ),
    annotations: z.record(z.string().regex(QUALIFIED_NAME, 'bad annotation key'), z.string()).optional(),
  })
  .strict();

/** A rule: `expr` required (a string or an integer), exactly one of `record` and `alert` (the operator's webhook). */
const rule = z
  .object({
    record: z.string().regex(METRIC_NAME, 'record must be a metric name').optional(),
    alert: z.string().min(1).optional(),
    expr: z.union([z.string().min(1), z.number().int()]),
    for: duration.optional(),
    keep_firing_for: duration.min(1).optional(),
    labels: stringMap.optional(),
    annotations: stringMap.optional(),
  })
  .strict()
  .refine((r) => (r.record === undefined) !== (r.alert === undefined), 'exactly one of record and alert')
  .refine(
    (r) => r.alert !== undefined || (r.for === undefined && r.keep_firing_for === undefined && !r.annotations),
    'for, keep_firing_for and annotations belong to alerts only'
  );

/** A group: `name` required (at least one character); the groups are a list map keyed by name. */
export const ruleGroupSchema = z
  .object({
    name: z.string().min(1),
    interval: duration.optional(),
    rules: z.array(rule),
  })
  .strict();

export const ruleGroupsSchema = z
  .array(ruleGroupSchema)
  .refine((groups) => new Set(groups.map((g) => g.name)).size === groups.length, 'group names must be unique');

export const prometheusRuleSchema = z
  .object({
    apiVersion: z.literal('monitoring.coreos.com/v1'),
    kind: z.literal('PrometheusRule'),
    metadata: objectMeta,
    spec: z.object({ groups: ruleGroupsSchema }).strict(),
  })
  .strict();

/** A ConfigMap of the fields the pack emits: data keys of [-._a-zA-Z0-9], string values. */
export const configMapSchema = z
  .object({
    apiVersion: z.literal('v1'),
    kind: z.literal('ConfigMap'),
    metadata: objectMeta,
    data: z.record(z.string().regex(/^[-._a-zA-Z0-9]{1,253}$/, 'bad ConfigMap key'), z.string()),
  })
  .strict();

/** Size limits that apply to these objects, in bytes. */
export const LIMITS = {
  /** etcd's default request limit: an object over it cannot be stored at all. */
  etcdObject: 1.5 * 1024 * 1024,
  /** A ConfigMap's data (and a Secret's), checked by the API server. */
  configMapData: 1024 * 1024,
  /** All annotations of one object together: client-side `kubectl apply` copies the object into one. */
  annotations: 256 * 1024,
};
