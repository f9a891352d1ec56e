import { DataFrame, Field, FieldType, getFieldDisplayName, InterpolateFunction, ScopedVars } from '@grafana/data';

/** What Grafana's link supplier passes as `__dataContext` (see getLinksSupplier in @grafana/data). */
interface DataContext {
  readonly frame?: DataFrame;
  readonly field?: Field;
  readonly rowIndex?: number;
}

/**
 * The data macros Grafana's template service resolves for data links, from the `__dataContext` scoped
 * variable: `__value.raw|numeric|text|time`, `__field.name|displayName|labels.<name>`, `__series.name`.
 */
function dataMacro(root: string, path: string[], context: DataContext): unknown {
  const { frame, field, rowIndex } = context;
  if (!field) {
    return undefined;
  }
  if (root === '__value') {
    const raw = rowIndex === undefined ? undefined : field.values[rowIndex];
    const time = frame?.fields.find((f) => f.type === FieldType.time)?.values[rowIndex ?? -1];
    const display = raw !== undefined && field.display ? field.display(raw) : undefined;
    const value: Record<string, unknown> = {
      raw,
      numeric: raw === undefined ? undefined : Number(raw),
      text: display?.text ?? raw,
      time,
    };
    return value[path[0] ?? 'text'];
  }
  if (root === '__field') {
    if (path[0] === 'labels') {
      return path[1] ? field.labels?.[path[1]] : undefined;
    }
    return path[0] === 'displayName' && frame ? getFieldDisplayName(field, frame) : field.name;
  }
  if (root === '__series') {
    return frame?.name;
  }
  return undefined;
}

/**
 * The host's template interpolation: it has no dashboard variables, but data links carry Grafana's
 * data-scoped ones (`${__value.raw}`, `${__field.name}`, `${__series.name}`), resolved from the
 * `__dataContext` the link supplier passes, or from plain scoped variables (`${a.b}` is
 * `scopedVars.a.value.b`). Anything else is left as written, as Grafana leaves an unknown variable.
 */
export const replaceVariables: InterpolateFunction = (value: string, scopedVars?: ScopedVars) =>
  value.replace(/\$\{([\w.]+)(?::[\w]+)?\}/g, (whole, name: string) => {
    const [root, ...path] = name.split('.');
    const context = scopedVars?.__dataContext?.value as DataContext | undefined;
    let resolved: unknown;
    if (context && root.startsWith('__') && root !== '__dataContext') {
      resolved = dataMacro(root, path, context);
    } else if (scopedVars?.[root]) {
      resolved = path.reduce<unknown>(
        (current, key) =>
          current && typeof current === 'object' ? (current as Record<string, unknown>)[key] : undefined,
        scopedVars[root].value
      );
    } else {
      return whole;
    }
    return resolved === undefined || resolved === null ? '' : String(resolved);
  });
