import { Violation } from '../../rule';
import { k8sRule, WARNING } from '../define';
import { o } from '../pod';

/** SS-K8S-073 — docs/rules.md#ss-k8s-073. */
export const namespacePodSecurity = k8sRule({
  id: 'SS-K8S-073',
  title: 'Namespace enforces Pod Security restricted',
  catalog: ['K8S-NS-01'],
  severity: WARNING,
  message: 'Namespace does not enforce, audit and warn the restricted Pod Security level',
  fix: 'label the Namespace pod-security.kubernetes.io/enforce, /audit and /warn with restricted',
  rationale: 'The labels make the API server itself refuse pods that break the restricted profile, whatever wrote them; audit and warn report them too.',
  sources: ['EKS Best Practices: use multiple Pod Security Admission modes'],
  kinds: ['Namespace'],
  check: (doc) => {
    const labels = o(o(doc.manifest.metadata).labels);
    // one finding per Namespace (at the first mode that falls short), naming every mode that does: one problem, one count
    const short: string[] = [];
    for (const mode of ['enforce', 'audit', 'warn']) {
      const k = `pod-security.kubernetes.io/${mode}`;
      if (labels[k] !== 'restricted') short.push(mode);
    }
    if (short.length === 0) return [];
    const said = short.map(mode => {
      const v = labels[`pod-security.kubernetes.io/${mode}`];
      return `${mode} is ${v === undefined ? 'unset' : JSON.stringify(v)}`;
    });
    // name only the modes that fall short: a Namespace that enforces restricted is not said not to
    const others = short.filter(mode => mode !== 'enforce').join(' or ');
    const what = short[0] !== 'enforce' ? `enforces the restricted Pod Security level but does not ${others} at it`
      : others === '' ? 'does not enforce the restricted Pod Security level'
        : `does not enforce the restricted Pod Security level, and does not ${others} at it`;
    const v: Violation = {
      jsonPath: `metadata.labels["pod-security.kubernetes.io/${short[0]}"]`,
      message: `Namespace ${what}: ${said.join(', ')}`,
    };
    return [v];
  },
});
