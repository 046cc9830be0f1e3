// Internal validation and rendering helpers shared by the workload kinds. Not re-exported by the barrel.
import { IConstruct } from 'constructs';
import type * as corev1 from 'kubernetes-types/core/v1';
import { ContainerPort } from './env';
import { Probe } from './probe';
import { clockChangeClash, timeZoneProblem } from '../../core/cron';
import { fail, warn } from '../../core/errors';
import { Names } from '../../core/names';
import { CpuQuantity } from '../../core/quantity';

/** Validates an IANA time zone name (`Europe/Berlin`, `UTC`), spelled as the tz database spells it. */
export function checkTimeZone(scope: IConstruct, prop: string, tz: string): string {
  const p = timeZoneProblem(tz);
  if (p !== undefined) fail(scope, prop, tz, p.problem, p.fix);
  return tz;
}

/**
 * Warns when a schedule's daily run time falls in a clock change of its time zone within the next year (02:30 in
 * Europe/Berlin is skipped on the last Sunday of March, 01:30 in America/New_York happens twice in November): the
 * CronJob controller and Velero then skip that day's run or may run it twice.
 */
export function warnClockChange(scope: IConstruct, prop: string, expression: string, tz: string): void {
  const clash = clockChangeClash(expression, tz, new Date());
  if (clash === undefined) return;
  warn(scope, clash.kind === 'skipped'
    ? `${prop} runs at ${clash.time} ${tz}, a time the clocks skip on ${clash.date} (daylight saving starts): that day's run does not happen at that time and may not happen at all; `
      + 'pick a time the clocks never skip (outside the hour of the change), or set the time zone to UTC'
    : `${prop} runs at ${clash.time} ${tz}, a time the clocks pass twice on ${clash.date} (daylight saving ends): that day's run may happen twice; `
      + 'pick a time outside the repeated hour, set the time zone to UTC, or make the run safe to repeat');
}

/**
 * Validates a value of a string enum (`PodManagementPolicy`, `ClaimRetention`), which plain JavaScript can give as any
 * string: the error names the enum and its values, and the member meant when only the case differs.
 */
export function checkEnum<T extends string>(scope: IConstruct, prop: string, value: T, values: { [key: string]: T }, enumName: string): T {
  const members = Object.keys(values);
  if (!members.some(k => values[k] === value)) {
    const quoted = members.map(k => JSON.stringify(values[k]));
    const meant = typeof value === 'string' ? members.find(k => values[k].toLowerCase() === value.toLowerCase()) : undefined;
    fail(scope, prop, value, `must be a ${enumName}: ${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]} (the case matters)`,
      meant !== undefined ? `use ${enumName}.${meant} (${JSON.stringify(values[meant])})` : `use ${members.map(k => `${enumName}.${k}`).join(' or ')}`);
  }
  return value;
}

/** Validates an optional boolean prop: `"false"` (a string, which is truthy) or `1` is refused, not taken as true. */
export function checkBoolean(scope: IConstruct, prop: string, value: boolean | undefined): boolean | undefined {
  if (value !== undefined && typeof value !== 'boolean') {
    fail(scope, prop, value, 'must be true or false',
      value === 'true' || value === 'false' ? `write ${value} without quotes` : 'use true or false, or leave it out for the default');
  }
  return value;
}

/**
 * Validates an optional list of objects (plain JavaScript can pass one object, or a list with holes): returns the list,
 * or `[]` when it is left out. `example` is one entry, as code, for the fix.
 */
export function checkObjectList<T>(scope: IConstruct, prop: string, value: T[] | undefined, example: string): T[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) fail(scope, prop, value, 'must be a list', `pass a list, for example [${example}]`);
  value.forEach((v, i) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) fail(scope, `${prop}[${i}]`, v, 'must be an object', `write each entry like ${example}`);
  });
  return value;
}

/** Validates an optional probe prop: a `Probe`, not a path or a kubernetes probe object. */
export function checkProbe(scope: IConstruct, prop: string, probe: Probe | undefined): Probe | undefined {
  const given: unknown = probe;
  if (given !== undefined && !(given instanceof Probe) && typeof (given as any)?._identity !== 'function') {
    fail(scope, prop, given, 'must be a Probe', typeof given === 'string' && given.startsWith('/')
      ? `use Probe.http(${JSON.stringify(given)})` : "use Probe.http('/readyz'), Probe.tcp() or Probe.exec([...])");
  }
  return probe;
}

/** Validates a whole number with a minimum (and optional maximum). */
export function checkWhole(scope: IConstruct, prop: string, v: number, min: number, fix: string, max?: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || (max !== undefined && v > max)) {
    fail(scope, prop, v, max === undefined ? `must be a whole number of at least ${min}` : `must be a whole number from ${min} to ${max}`, fix);
  }
  return v;
}

/** The most cores a container's CPU may be written as without the `m` unit: a larger count is taken for a unit slip. */
const MAX_CORES_WITHOUT_UNIT = 64;

/**
 * Parses a container's CPU request or limit (`"250m"`, `"0.5"`, `"2"`). A count of cores above 64 written without
 * `m` is refused: `"500"` is 500 cores, more than any node has, where `"500m"` was meant. Millicores are taken as
 * written (`"96000m"`), for the rare container that needs that many cores.
 */
export function parseContainerCpu(scope: IConstruct, prop: string, text: string): CpuQuantity {
  const q = CpuQuantity.parse(text, scope, prop);
  const t = text.trim();
  if (!t.endsWith('m') && q.millicores > MAX_CORES_WITHOUT_UNIT * 1000) {
    const cores = q.millicores / 1000;
    const really = `write "${q.millicores}m" if the container really needs ${cores} cores`;
    fail(scope, prop, text, `is ${cores} cores (over ${MAX_CORES_WITHOUT_UNIT}), more than any node has: a number without "m" counts cores`,
      /^[0-9]+$/.test(t) ? `did you mean ${JSON.stringify(`${t}m`)}? (${really})` : `write millicores such as "250m", or at most ${MAX_CORES_WITHOUT_UNIT} cores (${really})`);
  }
  return q;
}

/** Validates an unprivileged container port (1024-65535). */
export function checkPort(scope: IConstruct, prop: string, port: number): number {
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1024 || port > 65535) {
    fail(scope, prop, port, 'must be a whole number from 1024 to 65535: lower ports need root or added capabilities (rule SS-K8S-021)',
      'listen on a port such as 8080 (a Service can still expose a lower port)');
  }
  return port;
}

/**
 * Validates a list of named ports against ports already taken (`taken` maps number and name to the prop that holds
 * them) and returns the validated list; `example` is the entry the error for a malformed list shows.
 */
export function checkPorts(scope: IConstruct, prop: string, ports: ContainerPort[], taken: Array<{ name: string; port: number; prop: string }>,
  example = "{ name: 'peer', port: 7000 }"): ContainerPort[] {
  const seen = [...taken];
  return checkObjectList(scope, prop, ports, example).map((p, i) => {
    const name = Names.portName(scope, `${prop}[${i}].name`, p.name);
    const port = checkPort(scope, `${prop}[${i}].port`, p.port);
    const sameNumber = seen.find(s => s.port === port);
    if (sameNumber) fail(scope, `${prop}[${i}].port`, port, `clashes with ${sameNumber.prop}, which uses the same number`, 'give every port its own number');
    const sameName = seen.find(s => s.name === name);
    if (sameName) fail(scope, `${prop}[${i}].name`, name, `clashes with ${sameName.prop}, which uses the same name`, 'give every port its own name');
    seen.push({ name, port, prop: `${prop}[${i}]` });
    return { name, port };
  });
}

/** Readiness, liveness and startup probes of a long-running main container. */
export interface ProbeSet {
  readonly readiness?: Probe;
  readonly liveness?: Probe;
  readonly startup?: Probe;
}

/**
 * Validates and renders readiness/liveness/startup probes (defaults: HTTP `/readyz` and `/livez` on the main port).
 * Readiness and liveness must check different things (rule SS-K8S-035).
 */
export function renderProbes(scope: IConstruct, probes: ProbeSet, mainPort: number | undefined, mainPortName: string | undefined, ports: number[]): any {
  const readiness = checkProbe(scope, 'readiness', probes.readiness) ?? Probe.http('/readyz');
  const liveness = checkProbe(scope, 'liveness', probes.liveness) ?? Probe.http('/livez');
  checkProbe(scope, 'startup', probes.startup);
  if (readiness._identity(mainPort) === liveness._identity(mainPort)) {
    fail(scope, 'liveness', liveness._identity(mainPort),
      'is the same check as the readiness probe: a slow dependency would then restart healthy pods (rule SS-K8S-035)',
      liveness.kind === 'grpc'
        ? "probe different things, for example readiness Probe.grpc({ service: 'readiness' }) and liveness Probe.grpc({ service: 'liveness' }) on a gRPC server "
          + "(the gRPC health protocol reports each service), or readiness Probe.http('/readyz') and liveness Probe.http('/livez') on an HTTP one"
        : liveness.kind === 'tcp'
          ? 'probe different things: on a server that speaks neither HTTP nor gRPC (a database), readiness with its own check command, '
            + "for example Probe.exec(['pg_isready']), and liveness Probe.tcp() (under Linkerd, whose proxy answers TCP for the pod, a cheaper command such as Probe.exec(['pg_isready', '-t', '1'])); on an HTTP one, readiness Probe.http('/readyz') and liveness Probe.http('/livez')"
          : "probe different things, for example readiness Probe.http('/readyz') and liveness Probe.http('/livez')");
  }
  return {
    readinessProbe: readiness._render(scope, 'readiness', mainPort, mainPortName, ports, false),
    livenessProbe: liveness._render(scope, 'liveness', mainPort, mainPortName, ports, false),
    startupProbe: probes.startup ? probes.startup._render(scope, 'startup', mainPort, mainPortName, ports, true) : undefined,
  } satisfies Partial<corev1.Container>;
}

/** Validates a Go duration (`720h`, `90m`, `1h30m`), as Velero reads TTLs; returns it. */
export function checkDuration(scope: IConstruct, prop: string, d: string): string {
  const m = typeof d === 'string' ? /^(\d+(\.\d+)?(h|m|s|ms))+$/.exec(d) : null;
  if (!m || !/[1-9]/.test(d)) {
    fail(scope, prop, d, 'is not a positive duration', "write it in hours, minutes and seconds, for example '720h' (30 days) or '168h'");
  }
  return d;
}

/**
 * Refuses a workload name that cannot name the workload's Service: the name is a DNS-1123 label already, and a Service
 * name is a DNS-1035 label, which starts with a letter. `given`: whether the name was passed (else it is `id` in kebab
 * case); `max`: the longest name the workload allows (for the suggestion).
 */
export function checkServiceName(scope: IConstruct, name: string, given: boolean, id: string, max: number): void {
  if (/^[a-z]/.test(name)) return;
  // a suggestion that keeps every part: the parts from the first that starts with a letter, then the ones before it
  const parts = name.split('-');
  const first = parts.findIndex(part => /^[a-z]/.test(part));
  const suggestion = first > 0 ? [...parts.slice(first), ...parts.slice(0, first)].join('-') : `svc-${name}`.slice(0, max).replace(/-+$/, '');
  fail(scope, 'name', name, 'starts with a digit, and it also names the workload\'s Service, whose name the API server requires to be a DNS-1035 label '
    + '(1-63 characters of a-z, 0-9 and \'-\', starting with a letter): applying the Service would fail',
  `pass a name that starts with a letter, for example name: ${JSON.stringify(suggestion)}${given ? '' : ` (the name defaults to the construct id, ${JSON.stringify(id)}, in kebab case)`}`);
}

/** Fails when the reason given for an exception is too short to review. */
export function checkReason(scope: IConstruct, prop: string, reason: string): string {
  if (typeof reason !== 'string' || reason.trim().length < 10) {
    fail(scope, prop, reason, 'must say why, in at least 10 characters', 'state what the agent needs this access for, so a reviewer can judge it');
  }
  return reason.trim();
}
