/**
 * Whole-output checks for tests: what `kubectl apply -f dist/` and Argo CD see, re-read from the written files
 * (independent of the checks k8s.App runs in memory before writing).
 */

const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'StorageClass', 'IngressClass', 'PriorityClass',
  'CustomResourceDefinition', 'NodePool', 'EC2NodeClass', 'ClusterIssuer', 'GatewayClass', 'PersistentVolume']);

function podSpecOf(doc: any): any {
  switch (doc?.kind) {
    case 'Pod': return doc.spec;
    case 'CronJob': return doc.spec?.jobTemplate?.spec?.template?.spec;
    case 'Deployment': case 'StatefulSet': case 'DaemonSet': case 'ReplicaSet': case 'Job':
      return doc.spec?.template?.spec;
    default: return undefined;
  }
}

/**
 * Problems of a whole output: duplicate kind/namespace/name, unresolved tokens (cdktf `${TfToken[`, CDK
 * `${Token[`), and references that do not resolve inside the output (a pod's ServiceAccount, a claim's
 * StorageClass when the output defines storage classes).
 */
export function wholeOutputProblems(docs: any[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  const key = (d: any) => {
    const group = String(d.apiVersion ?? '').includes('/') ? String(d.apiVersion).split('/')[0] : '';
    const ns = CLUSTER_SCOPED.has(d.kind) ? '' : (d.metadata?.namespace ?? '');
    return `${group}/${d.kind}/${ns}/${d.metadata?.name}`;
  };
  for (const d of docs) {
    const k = key(d);
    if (seen.has(k)) problems.push(`duplicate object ${k}`);
    seen.add(k);
    const text = JSON.stringify(d);
    if (/\$\{TfToken\[|#\{TfToken\[|&\{TfToken\[|\$\{Token\[/.test(text)) problems.push(`unresolved token in ${k}`);
  }
  const has = (kind: string, ns: string | undefined, name: string) =>
    docs.some(d => d.kind === kind && d.metadata?.name === name && (ns === undefined || d.metadata?.namespace === ns));
  const storageClasses = docs.filter(d => d.kind === 'StorageClass');
  for (const d of docs) {
    const pod = podSpecOf(d);
    const ns = d.metadata?.namespace;
    if (pod) {
      const sa = pod.serviceAccountName ?? 'default';
      if (sa !== 'default' && !has('ServiceAccount', ns, sa)) problems.push(`${key(d)}: ServiceAccount ${ns}/${sa} is not in the output`);
    }
    if (storageClasses.length > 0) {
      const claims = [...(d.kind === 'PersistentVolumeClaim' ? [d.spec] : []), ...(d.spec?.volumeClaimTemplates ?? []).map((t: any) => t.spec)];
      for (const c of claims) {
        const cls = c?.storageClassName;
        if (cls !== undefined && cls !== '' && !has('StorageClass', undefined, cls)) problems.push(`${key(d)}: StorageClass ${cls} is not in the output`);
      }
    }
  }
  return problems;
}

/** Findings reduced to what synth and the CLI must agree on (not construct path vs file#index), sorted. */
export function comparableFindings(findings: any[]): string[] {
  return findings.map(f => JSON.stringify({
    ruleId: f.ruleId,
    severity: f.severity,
    kind: f.ruleId === 'SS-POLICY-001' ? undefined : f.kind,
    namespace: f.ruleId === 'SS-POLICY-001' ? undefined : f.namespace,
    name: f.ruleId === 'SS-POLICY-001' ? undefined : f.name,
    jsonPath: f.jsonPath,
    message: f.message,
    suppressed: f.suppressed?.reason,
  })).sort();
}
