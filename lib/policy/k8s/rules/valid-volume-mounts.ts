import { Violation } from '../../rule';
import { ERROR, k8sRule, NONE, podLocalCheck } from '../define';
import { arr, containersOf, isObj, o, PodRef, podOfDoc, POD_KINDS } from '../pod';
import { parseQuantity } from '../quantity';

/** A DNS-1123 label: what a volume's name must be. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** True when `p` is a relative path without a `..` part (what the API accepts as a subPath). */
function relativeInside(p: string): boolean {
  return !p.startsWith('/') && !p.split('/').includes('..');
}

/** SS-K8S-091 — docs/rules.md#ss-k8s-091. */
export const validVolumeMounts = k8sRule({
  id: 'SS-K8S-091',
  title: 'Volumes and mounts the API accepts',
  catalog: ['K8S-META-04'],
  severity: ERROR,
  message: 'A volume mount names no volume of the pod, or volumes, mounts and claims are not what the API accepts',
  fix: 'mount only volumes listed in the pod\'s volumes, give each volume one name, each mount in a container its own mountPath, and a subPath relative to the volume; '
    + 'give each claim a storage request that is a quantity above 0 (10Gi, 500M)',
  rationale: 'The API refuses a pod whose container mounts a volume the pod does not list (a typo, or a volume removed by a patch while its '
    + 'mount stayed), two volumes of one name, two mounts at one path in a container, a mount without a path, a subPath that is absolute or '
    + 'climbs out with "..", subPath and subPathExpr together, a volume name that is no DNS label, and a volumeDevice naming no volume, one that is no '
    + 'claim, one the container also mounts, or one at a mount\'s path or another device\'s: `kubectl apply` of the workload fails. So does a '
    + 'PersistentVolumeClaim, or a StatefulSet claim template, whose storage request is missing, zero, or no Kubernetes quantity '
    + '("10GB" and "10 Gi" are not; 10G and 10Gi are). So does a volume with no source or several, a file mode above 0777, an item path '
    + 'that is absolute or climbs out with "..", an emptyDir sizeLimit that is no quantity, a persistentVolumeClaim volume without claimName, '
    + 'and Bidirectional mount propagation in a container that is not privileged.',
  kinds: [...POD_KINDS, 'PersistentVolumeClaim'],
  check: (doc, index) => {
    if (doc.kind === 'PersistentVolumeClaim') {
      const out: Violation[] = [];
      claimStorage(o(doc.manifest.spec), 'spec', 'PersistentVolumeClaim', out);
      return out.length === 0 ? NONE : out;
    }
    const claims = doc.kind === 'StatefulSet' ? claimNames(doc.manifest) : undefined;
    if (claims === undefined) return sharedCheck(doc, index);
    const pod = podOfDoc(doc);
    const out = pod ? [...checkPod(pod, claims)] : [];
    arr(o(doc.manifest.spec).volumeClaimTemplates).forEach((t, i) => claimStorage(o(o(t).spec), `spec.volumeClaimTemplates[${i}].spec`, `Claim template ${o(o(t).metadata).name ?? i}`, out));
    return out.length === 0 ? NONE : out;
  },
});

/** The pod-local check (pods without claim templates), computed once per distinct pod. */
const sharedCheck = podLocalCheck(pod => (pod ? checkPod(pod, undefined) : undefined));

/** For a size written with a byte unit (`10GB`, `500 mb`), the quantities meant, in words; else ''. */
function byteUnitHint(v: unknown): string {
  const m = typeof v === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*([kmgtpe])i?b\s*$/i.exec(v) : null;
  if (!m) return '';
  const letter = m[2].toLowerCase();
  const decimal = letter === 'k' ? 'k' : letter.toUpperCase();
  return ` (write ${m[1]}${decimal} for powers of 10, or ${m[1]}${letter.toUpperCase()}i for powers of 2)`;
}

/** The keys of a volume that are not its source. */
const NOT_A_SOURCE = new Set(['name']);

/** Reports what the API refuses in a volume's source: none or several, modes above 0777, item paths out of the volume, a bad size or claim. */
function volumeSource(v: any, at: string, bad: (jsonPath: string, message: string) => void): void {
  const sources = Object.keys(v).filter(k => !NOT_A_SOURCE.has(k) && v[k] !== undefined && v[k] !== null);
  if (sources.length > 1) bad(at, `Volume ${v.name} has ${sources.length} sources (${sources.join(', ')}); a volume has exactly one, and the API refuses more`);
  for (const k of sources) {
    const src = o(v[k]);
    const where = `${at}.${k}`;
    const mode = (field: string, m: unknown) => {
      if (m !== undefined && m !== null && !(typeof m === 'number' && Number.isInteger(m) && m >= 0 && m <= 0o777)) {
        bad(`${where}.${field}`, `${field} ${JSON.stringify(m)} is not a file mode from 0 to 0777 (511 in decimal; write 0644 in YAML, 420 in JSON): the API refuses it`);
      }
    };
    mode('defaultMode', src.defaultMode);
    const items = k === 'projected' ? arr(src.sources).flatMap((s: any) => Object.values(o(s)).map((x: any) => o(x).items).filter(Array.isArray)) : [arr(src.items)];
    for (const list of items) {
      (list as any[]).forEach((it: any, j: number) => {
        const path = o(it).path;
        if (typeof path === 'string' && (path.startsWith('/') || path.split('/').includes('..'))) {
          bad(`${where}.items[${j}].path`, `Item path ${JSON.stringify(path)} must be relative to the volume, without "..": the API refuses it`);
        }
        mode(`items[${j}].mode`, o(it).mode);
      });
    }
    if (k === 'emptyDir' && src.sizeLimit !== undefined && src.sizeLimit !== null && parseQuantity(src.sizeLimit) === undefined) {
      bad(`${where}.sizeLimit`, `emptyDir sizeLimit ${JSON.stringify(src.sizeLimit)} is no Kubernetes quantity${byteUnitHint(src.sizeLimit)}: the API refuses it`);
    }
    if (k === 'persistentVolumeClaim' && (typeof src.claimName !== 'string' || src.claimName === '')) {
      bad(`${where}.claimName`, 'persistentVolumeClaim volume names no claim (claimName), which the API requires');
    }
  }
}

/** Reports a claim spec's storage request (at `at`) that the API refuses: missing, no quantity, or not above zero. */
function claimStorage(spec: any, at: string, what: string, out: Violation[]): void {
  const storage = o(o(spec.resources).requests).storage;
  const path = `${at}.resources.requests.storage`;
  if (storage === undefined || storage === null) {
    out.push({ jsonPath: path, message: `${what} requests no storage, which the API requires` });
    return;
  }
  const q = parseQuantity(storage);
  if (q === undefined) {
    out.push({ jsonPath: path, message: `${what} requests storage ${JSON.stringify(storage)}, which is no Kubernetes quantity${byteUnitHint(storage)}: the API refuses it` });
  } else if (q.negative || q.digits === BigInt(0)) {
    out.push({ jsonPath: path, message: `${what} requests storage ${JSON.stringify(storage)}; it must be more than 0, and the API refuses it` });
  }
}

/** The names of a StatefulSet's volumeClaimTemplates, or undefined when it has none. */
function claimNames(m: any): string[] | undefined {
  const t = arr(o(m?.spec).volumeClaimTemplates);
  if (t.length === 0) return undefined;
  return t.map(c => o(o(c).metadata).name).filter((n): n is string => typeof n === 'string');
}

/** The problems of a pod's volumes and mounts; `claims` are the names of volumes its controller adds (claim templates). */
function checkPod(pod: PodRef, claims: string[] | undefined): Violation[] {
  const volumes = arr(pod.spec.volumes);
  const containers = containersOf(pod, true);
  let out: Violation[] | undefined;
  const bad = (jsonPath: string, message: string) => { (out ??= []).push({ jsonPath, message }); };
  const names = new Map<string, any>();
  for (let i = 0; i < volumes.length; i++) {
    const name = o(volumes[i]).name;
    if (typeof name !== 'string' || name === '') {
      bad(`${pod.path}.volumes[${i}].name`, 'Volume has no name');
    } else if (!DNS_LABEL.test(name)) {
      bad(`${pod.path}.volumes[${i}].name`, `Volume name ${JSON.stringify(name)} must be at most 63 lowercase letters, digits and "-", starting and ending with a letter or digit`);
      names.set(name, volumes[i]); // its mounts are not reported again
    } else if (names.has(name)) {
      bad(`${pod.path}.volumes[${i}].name`, `Two volumes are named ${name}`);
    } else {
      names.set(name, volumes[i]);
    }
    volumeSource(o(volumes[i]), `${pod.path}.volumes[${i}]`, bad);
  }
  // a StatefulSet's volumeClaimTemplates are volumes of its pods too (claims, so they can be devices)
  for (const n of claims ?? []) if (!names.has(n)) names.set(n, { persistentVolumeClaim: {} });
  for (const r of containers) {
    const paths = new Set<unknown>();
    const mounted = new Set<unknown>();
    const mounts = arr(r.c.volumeMounts);
    for (let i = 0; i < mounts.length; i++) {
      const m = mounts[i];
      const at = `${r.path}.volumeMounts[${i}]`;
      if (!isObj(m)) {
        bad(at, 'Volume mount is not an object');
        continue;
      }
      mounted.add(m.name);
      if (typeof m.name !== 'string' || !names.has(m.name)) bad(`${at}.name`, `Container ${o(r.c).name} mounts volume ${JSON.stringify(m.name)}, which is not a volume of the pod`);
      if (typeof m.mountPath !== 'string' || m.mountPath === '') {
        bad(`${at}.mountPath`, `Container ${o(r.c).name} mounts volume ${m.name} without a mountPath`);
      } else {
        if (paths.has(m.mountPath)) bad(`${at}.mountPath`, `Container ${o(r.c).name} mounts two volumes at ${m.mountPath}`);
        paths.add(m.mountPath);
      }
      if (typeof m.subPath === 'string' && m.subPath !== '' && !relativeInside(m.subPath)) {
        bad(`${at}.subPath`, `subPath ${JSON.stringify(m.subPath)} must be a relative path inside the volume (no leading "/", no "..")`);
      }
      if (m.mountPropagation === 'Bidirectional' && o(r.c.securityContext).privileged !== true) {
        bad(`${at}.mountPropagation`, `Container ${o(r.c).name} mounts volume ${m.name} with Bidirectional propagation, which the API allows in a privileged container only`);
      } else if (m.mountPropagation !== undefined && m.mountPropagation !== null && !['None', 'HostToContainer', 'Bidirectional'].includes(m.mountPropagation)) {
        bad(`${at}.mountPropagation`, `mountPropagation ${JSON.stringify(m.mountPropagation)} is not None, HostToContainer or Bidirectional: the API refuses it`);
      }
      if (typeof m.subPathExpr === 'string' && m.subPathExpr !== '' && typeof m.subPath === 'string' && m.subPath !== '') {
        bad(`${at}.subPathExpr`, 'subPath and subPathExpr cannot both be set');
      }
    }
    const devices = arr(r.c.volumeDevices);
    const deviceNames = new Set<unknown>();
    const devicePaths = new Set<unknown>();
    for (let i = 0; i < devices.length; i++) {
      const d = o(devices[i]);
      const name = d.name;
      const at = `${r.path}.volumeDevices[${i}]`;
      const v = typeof name === 'string' ? o(names.get(name)) : {};
      if (typeof name !== 'string' || !names.has(name)) {
        bad(`${at}.name`, `Container ${o(r.c).name} uses volume ${JSON.stringify(name)} as a device, which is not a volume of the pod`);
      } else if (v.persistentVolumeClaim === undefined && v.ephemeral === undefined) {
        bad(`${at}.name`, `Container ${o(r.c).name} uses volume ${name} as a device; only a persistentVolumeClaim or ephemeral volume can be one`);
      } else if (mounted.has(name)) {
        bad(`${at}.name`, `Container ${o(r.c).name} uses volume ${name} both as a device and as a mount`);
      } else if (deviceNames.has(name)) {
        bad(`${at}.name`, `Container ${o(r.c).name} uses volume ${name} as a device twice`);
      }
      deviceNames.add(name);
      if (paths.has(d.devicePath)) {
        bad(`${at}.devicePath`, `Container ${o(r.c).name} has a mount and a device at ${d.devicePath}`);
      } else if (devicePaths.has(d.devicePath)) {
        bad(`${at}.devicePath`, `Container ${o(r.c).name} has two devices at ${d.devicePath}`);
      }
      devicePaths.add(d.devicePath);
    }
  }
  return out ?? NONE;
}
