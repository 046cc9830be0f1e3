import { Violation } from '../../rule';
import { ERROR, k8sRule } from '../define';
import { o } from '../pod';
import { credentialIn, secretByName, secretSettingIn } from '../secrets';

/** SS-K8S-063 — docs/rules.md#ss-k8s-063. */
export const noSecretsInConfigMaps = k8sRule({
  id: 'SS-K8S-063',
  title: 'No secrets in ConfigMaps',
  catalog: ['K8S-IDN-07'],
  severity: ERROR,
  message: 'ConfigMap holds something that looks like a secret',
  fix: 'move the value to a Secret or an external secret store',
  rationale: 'ConfigMaps are not encrypted at rest and are readable by far more roles than Secrets. A key looks like a secret as an environment variable '
    + 'does for SS-K8S-062: by its name (with the same exceptions: references, settings and switch values) or by a value that is unmistakably a credential. '
    + 'A value that is a file (properties, ini, .env, YAML) is read line by line: a line that sets a secret-named key to a literal counts.',
  sources: ['Trivy KSV-0109, KSV-01010'],
  kinds: ['ConfigMap'],
  check: (doc) => {
    const data = o(doc.manifest.data);
    const out: Violation[] = [];
    for (const k of Object.keys(data)) {
      if (secretByName(k, data[k]) || credentialIn(data[k]) !== undefined) {
        out.push({ jsonPath: `data["${k}"]`, message: `ConfigMap key ${k} looks like a secret` });
        continue;
      }
      const setting = secretSettingIn(data[k]);
      if (setting !== undefined) out.push({ jsonPath: `data["${k}"]`, message: `ConfigMap key ${k} is a file that sets ${setting} to a literal, which looks like a secret` });
    }
    return out;
  },
});
