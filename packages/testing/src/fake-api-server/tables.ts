/**
 * Server-side Table printing (`Accept: application/json;as=Table;v=v1;g=meta.k8s.io`), as
 * kube-apiserver renders custom resources (apiextensions `tableconvertor.go`): a Name
 * column, then the printer columns (Age when a CRD has none), cells evaluated by the
 * columns' JSONPaths, and `date` cells turned into human durations such as `5m` by the
 * server, because kubectl prints cells as given. Rows carry PartialObjectMetadata.
 */

/** A CRD's `additionalPrinterColumns` entry. */
export interface PrinterColumn {
  name: string;
  type: string;
  format?: string;
  description?: string;
  jsonPath: string;
  priority?: number;
  /**
   * Computes the cell instead of `jsonPath`, for kube's built-in printers whose cells are not a
   * JSONPath (a ConfigMap's Data count, a Deployment's `1/3` Ready, an Event's `kind/name`).
   */
  cell?: (object: Record<string, unknown>, now: Date) => unknown;
}

/** How a Table is rendered: the clock for ages, the list's metadata, and `includeObject`. */
export interface TableOptions {
  now: Date;
  resourceVersion: string;
  continue?: string;
  includeObject?: 'None' | 'Metadata' | 'Object';
  /** False leaves out the leading Name column, as kube's Event printer does; default true. */
  nameColumn?: boolean;
}

const NAME_DESCRIPTION =
  'Name must be unique within a namespace. Is required when creating resources, although some resources ' +
  'may allow a client to request the generation of an appropriate name automatically. Name is primarily ' +
  'intended for creation idempotence and configuration definition. Cannot be updated. ' +
  'More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';

const CREATION_TIMESTAMP_DESCRIPTION =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not ' +
  'guaranteed to be set in happens-before order across separate operations. Clients may not set this value. ' +
  'It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. ' +
  'More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

/** The column kube-apiserver adds to a CRD version that declares no printer columns. */
const AGE_COLUMN: PrinterColumn = {
  name: 'Age',
  type: 'date',
  description: CREATION_TIMESTAMP_DESCRIPTION,
  jsonPath: '.metadata.creationTimestamp',
};

/**
 * Renders `objects` as a `meta.k8s.io/v1` Table: Name (unless `nameColumn: false`), then
 * `columns` (undefined or empty → Age), one row per object with its `object` as PartialObjectMetadata unless
 * `includeObject` says `Object` (the whole object) or `None` (null).
 */
export function renderTable(
  objects: readonly Record<string, unknown>[],
  columns: readonly PrinterColumn[] | undefined,
  options: TableOptions,
): Record<string, unknown> {
  const printed = columns && columns.length > 0 ? columns : [AGE_COLUMN];
  const named = options.nameColumn ?? true;
  const columnDefinitions = [
    ...(named
      ? [{ name: 'Name', type: 'string', format: 'name', description: NAME_DESCRIPTION, priority: 0 }]
      : []),
    ...printed.map((column) => ({
      name: column.name,
      type: column.type,
      format: column.format ?? '',
      description:
        column.description || `Custom resource definition column (in JSONPath format): ${column.jsonPath}`,
      priority: column.priority ?? 0,
    })),
  ];
  const paths = printed.map((column) => parseJsonPath(column.jsonPath));
  const rows = objects.map((object) => ({
    cells: [
      ...(named ? [metadataOf(object).name ?? ''] : []),
      ...printed.map((column, i) =>
        column.cell ? column.cell(object, options.now) : cellFor(column, paths[i], object, options.now),
      ),
    ],
    object: rowObject(object, options.includeObject ?? 'Metadata'),
  }));
  const metadata: Record<string, unknown> = { resourceVersion: options.resourceVersion };
  if (options.continue) metadata.continue = options.continue;
  return { kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata, columnDefinitions, rows };
}

function rowObject(object: Record<string, unknown>, includeObject: 'None' | 'Metadata' | 'Object'): unknown {
  if (includeObject === 'None') return null;
  if (includeObject === 'Object') return object;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: metadataOf(object) };
}

function metadataOf(object: Record<string, unknown>): Record<string, unknown> {
  const metadata = object.metadata;
  return typeof metadata === 'object' && metadata !== null ? (metadata as Record<string, unknown>) : {};
}

/** One cell as `tableconvertor.go` makes it: the first match, typed by the column, else null. */
function cellFor(
  column: PrinterColumn,
  path: readonly Step[] | undefined,
  object: unknown,
  now: Date,
): unknown {
  const value = path ? evaluateJsonPath(path, object)[0] : undefined;
  if (value === undefined || value === null) return null;
  switch (column.type) {
    case 'string':
      return typeof value === 'object' ? JSON.stringify(value) : String(value);
    case 'integer':
      return typeof value === 'number' ? Math.trunc(value) : null;
    case 'number':
      return typeof value === 'number' ? value : null;
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    case 'date':
      return typeof value === 'string' ? ageOf(value, now) : null;
    default:
      return null;
  }
}

function ageOf(timestamp: string, now: Date): string {
  const time = Date.parse(timestamp);
  if (!/^\d{4}-\d\d-\d\dT/.test(timestamp) || Number.isNaN(time)) return '<invalid>';
  return humanDuration(now.getTime() - time);
}

/**
 * kube's `duration.HumanDuration`: `45s`, `2m30s`, `15m`, `4h20m`, `30h`, `3d4h`, `40d`, `2y30d`, `9y`;
 * up to 2 s in the future is `0s`, more is `<invalid>`.
 */
export function humanDuration(milliseconds: number): string {
  const seconds = Math.trunc(milliseconds / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.trunc(seconds / 60);
  if (minutes < 10) return joinUnits(minutes, 'm', seconds % 60, 's');
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.trunc(minutes / 60);
  if (hours < 8) return joinUnits(hours, 'h', minutes % 60, 'm');
  if (hours < 48) return `${hours}h`;
  const days = Math.trunc(hours / 24);
  if (hours < 24 * 8) return joinUnits(days, 'd', hours % 24, 'h');
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.trunc(days / 365);
  if (hours < 24 * 365 * 8) return joinUnits(years, 'y', days % 365, 'd');
  return `${years}y`;
}

function joinUnits(major: number, majorUnit: string, minor: number, minorUnit: string): string {
  return minor === 0 ? `${major}${majorUnit}` : `${major}${majorUnit}${minor}${minorUnit}`;
}

/** A step of the JSONPath subset printer columns use. */
type Step =
  | { readonly field: string }
  | { readonly index: number }
  | { readonly wildcard: true }
  | { readonly filter: readonly Step[]; readonly op: '==' | '!='; readonly literal: unknown };

const STEP =
  /^(?:\.((?:\\.|[^.[\\])+)|\[(-?\d+)\]|\[\*\]|\['([^']*)'\]|\["([^"]*)"\]|\[\?\(@((?:\.[^=!\s]+)+)\s*(==|!=)\s*(.+?)\)\])/;

/**
 * Parses kubectl-style JSONPath (`.spec.x`, `{.spec.x}`, `.items[0]`, `.items[*].name`,
 * `['a.b']`, `a\.b`, `[?(@.type=="Ready")]`); undefined for anything else, whose cells then
 * stay null (kube-apiserver refuses such a CRD on creation, so it never renders one).
 */
function parseJsonPath(jsonPath: string): readonly Step[] | undefined {
  let rest = jsonPath.trim().replace(/^\{(.*)\}$/, '$1');
  const steps: Step[] = [];
  while (rest.length > 0) {
    const match = STEP.exec(rest);
    if (!match) return undefined;
    const [whole, field, index, quoted1, quoted2, filterPath, op, literal] = match;
    if (field === '*') steps.push({ wildcard: true });
    else if (field !== undefined) steps.push({ field: field.replace(/\\(.)/g, '$1') });
    else if (index !== undefined) steps.push({ index: Number(index) });
    else if (quoted1 !== undefined || quoted2 !== undefined) steps.push({ field: (quoted1 ?? quoted2)! });
    else if (filterPath !== undefined) {
      const filter = parseJsonPath(filterPath);
      const value = parseLiteral(literal!);
      if (!filter || value === undefined) return undefined;
      steps.push({ filter, op: op as '==' | '!=', literal: value });
    } else steps.push({ wildcard: true });
    rest = rest.slice(whole.length);
  }
  return steps;
}

function parseLiteral(text: string): unknown {
  const quoted = /^'(.*)'$/.exec(text);
  if (quoted) return quoted[1];
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Every value the path reaches in `root`, in document order; missing keys yield nothing. */
function evaluateJsonPath(steps: readonly Step[], root: unknown): unknown[] {
  let current: unknown[] = [root];
  for (const step of steps) current = current.flatMap((value) => applyStep(step, value));
  return current;
}

function applyStep(step: Step, value: unknown): unknown[] {
  if ('field' in step) {
    const isMap = typeof value === 'object' && value !== null && !Array.isArray(value);
    return isMap && step.field in value ? [(value as Record<string, unknown>)[step.field]] : [];
  }
  if ('index' in step) {
    if (!Array.isArray(value)) return [];
    const item = value[step.index < 0 ? value.length + step.index : step.index];
    return item === undefined ? [] : [item];
  }
  const items = Array.isArray(value)
    ? value
    : typeof value === 'object' && value !== null
      ? Object.values(value)
      : [];
  if ('wildcard' in step) return items;
  return items.filter((item) => {
    const found = evaluateJsonPath(step.filter, item);
    const equal = found.length > 0 && found[0] === step.literal;
    return step.op === '==' ? equal : found.length > 0 && !equal;
  });
}
