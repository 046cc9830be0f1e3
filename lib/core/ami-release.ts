// Internal: which Amazon Linux 2023 AMI releases can serve a cluster's Kubernetes version, shared by the AWS side
// (aws.Karpenter) and the Kubernetes side (a cluster profile's Karpenter node class). Not re-exported by the barrel.
import { IConstruct } from 'constructs';
import { fail } from './errors';

/**
 * The day EKS began supporting each Kubernetes minor version (standard support). EKS-optimized AMIs for a version are
 * published from around that day: an AMI release from weeks before it holds no AMI built for the version.
 */
const EKS_SUPPORT_START: { [minor: number]: string } = {
  29: '2024-01-23',
  30: '2024-05-23',
  31: '2024-09-26',
  32: '2025-01-23',
  33: '2025-05-29',
  34: '2025-10-02',
};
/** How long before EKS's support of a version its AMIs may be published (a release older than that has none). */
const AMI_LEAD_DAYS = 21;
/**
 * Amazon Linux 2023 EKS AMI releases (amazon-eks-ami tags), oldest first, suggested as pins in messages. Keep one
 * published on or after the support start of every version of `EKS_SUPPORT_START`.
 */
const KNOWN_AL2023_RELEASES = ['v20250704', 'v20251007'];

/**
 * An AMI alias to suggest pinning on a cluster of `kubernetesVersion` (`al2023@v20251007`): the first known release
 * published on or after the day EKS began supporting the version, else the latest known; one
 * `checkAmiReleaseForVersion` accepts for the version.
 */
export function exampleAmiAlias(kubernetesVersion: string): string {
  const minor = Number(/^1\.(\d+)$/.exec(String(kubernetesVersion))?.[1]);
  const start = (EKS_SUPPORT_START[minor] ?? '').replace(/-/g, '');
  const release = KNOWN_AL2023_RELEASES.find((r) => r.slice(1) >= start) ?? KNOWN_AL2023_RELEASES[KNOWN_AL2023_RELEASES.length - 1];
  return `al2023@${release}`;
}

/**
 * Refuses a pinned Amazon Linux 2023 AMI release (`al2023@v20250704`) published well before EKS supported the cluster's
 * Kubernetes version: Karpenter resolves the alias for the cluster's version, finds no AMI of that release built for
 * it, and launches no node.
 */
export function checkAmiReleaseForVersion(scope: IConstruct | string, prop: string, alias: string, kubernetesVersion: string): void {
  const minor = Number(/^1\.(\d+)$/.exec(String(kubernetesVersion))?.[1]);
  const m = /^al2023@v(\d{4})(\d{2})(\d{2})$/.exec(alias);
  const start = EKS_SUPPORT_START[minor];
  if (!m || start === undefined) return;
  const released = `${m[1]}-${m[2]}-${m[3]}`;
  const earliest = new Date(Date.parse(`${start}T00:00:00Z`) - AMI_LEAD_DAYS * 86_400_000).toISOString().slice(0, 10);
  if (released >= earliest) return;
  fail(scope, prop, alias, `is the AMI release of ${released}, before EKS supported Kubernetes 1.${minor} (${start}), the cluster's version: `
    + 'that release has no AMI built for 1.' + minor + ', so the node class resolves no AMI and Karpenter launches no node',
  `pin a release published for 1.${minor} (from ${start} on; see the amazon-eks-ami releases), or use 'al2023@latest'`);
}
