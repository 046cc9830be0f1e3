import { IConstruct } from 'constructs';
import { fail } from '../../core/errors';
import { AddonVersions, KubernetesVersion } from '../kubernetes-version';

/** Kubernetes minor versions a node (kubelet) may lag the control plane by (Kubernetes 1.28+ skew policy). @internal */
export const MAX_NODE_SKEW = 3;

/** The minor number of a `1.x` version string, or NaN. @internal */
export function minorOf(version: string): number {
  const m = /^1\.(\d+)$/.exec(String(version));
  return m ? Number(m[1]) : NaN;
}

/**
 * Refuses a version written with a patch or a leading `v` (`1.31.0`, `v1.31`), saying which minor version to write:
 * EKS runs a Kubernetes minor version and chooses the patch itself. Other malformed values are left to the caller.
 * @internal
 */
export function checkMinorForm(scope: IConstruct, prop: string, version: unknown): void {
  const m = typeof version === 'string' ? /^\s*v?(1\.\d+)(\.\d+)?\s*$/.exec(version) : null;
  if (!m || m[1] === version) return;
  const minor = m[1];
  const constant = `V${minor.replace('.', '_')}`;
  const factory = (KubernetesVersion as any)[constant] instanceof KubernetesVersion ? `KubernetesVersion.${constant}` : `KubernetesVersion.of('${minor}')`;
  fail(scope, prop, version, 'must be a Kubernetes minor version, without a patch or a leading v (EKS runs a minor version and chooses the patch itself)',
    `write ${minor}: ${factory}`);
}

const ADDON_VERSION = /^v\d+\.\d+\.\d+-eksbuild\.\d+$/;

/**
 * Refuses add-on versions that cannot run on the target Kubernetes version: every version must look
 * like an EKS add-on version, and kube-proxy's minor must equal the cluster's (EKS ships one kube-proxy
 * line per Kubernetes minor).
 * @internal
 */
export function checkAddonVersions(scope: IConstruct, versions: AddonVersions, kubernetesVersion: string, pinned: AddonVersions): void {
  const fields: Array<keyof AddonVersions> = ['vpcCni', 'coreDns', 'kubeProxy', 'ebsCsiDriver', 'podIdentityAgent'];
  for (const f of fields) {
    const v = versions[f];
    if (typeof v !== 'string' || !ADDON_VERSION.test(v)) {
      fail(scope, `addonVersions.${f}`, v, 'must be an EKS add-on version such as v1.2.3-eksbuild.1',
        `copy it from \`aws eks describe-addon-versions --kubernetes-version ${kubernetesVersion}\`, or leave addonVersions out (pinned: ${pinned[f]})`);
    }
  }
  const kp = /^v1\.(\d+)\./.exec(versions.kubeProxy);
  if (!kp || Number(kp[1]) !== minorOf(kubernetesVersion)) {
    fail(scope, 'addonVersions.kubeProxy', versions.kubeProxy, `must be a kube-proxy release for Kubernetes ${kubernetesVersion} (v${kubernetesVersion}.x-eksbuild.N): kube-proxy follows the control plane's minor version`,
      `use ${pinned.kubeProxy} (pinned for ${kubernetesVersion}) or leave addonVersions out`);
  }
}
