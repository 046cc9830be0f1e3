import { Violation } from '../../rule';
import { ERROR, k8sPodRule } from '../define';
import { arr, containersOf, o, POD_KINDS } from '../pod';
import { credentialIn, secretByName } from '../secrets';

/** SS-K8S-062 — docs/rules.md#ss-k8s-062. */
export const noLiteralSecretsInEnv = k8sPodRule({
  id: 'SS-K8S-062',
  title: 'No literal secrets in env',
  catalog: ['K8S-IDN-06'],
  severity: ERROR,
  message: 'Environment variable holds a literal secret',
  fix: 'reference an existing Secret (mounted as a file) or an external secret store instead of a literal value',
  rationale: 'A secret written as a literal env value is in clear in the manifest, in git and in every copy of the YAML. A variable is a secret when its '
    + 'name says so (password, token, secret, API key, credential...) or its value is unmistakably a credential (a cloud or SaaS key, a private key, a URL '
    + 'with a password); a name that ends by saying where or what the secret is, or a setting about it (DB_PASSWORD_FILE, SECRET_NAME, SECRET_ARN, TOKEN_URL, '
    + 'PASSWORD_MIN_LENGTH, TOKEN_TTL_SECONDS, PASSWORD_POLICY), a name that starts as a number or a switch does (MAX_TOKENS, ENABLE_PASSWORD_LOGIN), and a '
    + 'switch value (true, false, yes, no, on, off) are not one. '
    + 'shipshape\'s constructs refuse the same values when they are built.',
  kinds: POD_KINDS,
  podCheck: (pod) => {
    const out: Violation[] = [];
    for (const r of containersOf(pod, true)) {
      arr(r.c.env).forEach((e0, i) => {
        const e = o(e0);
        if (e.value === undefined || e.value === '') return;
        if (secretByName(e.name, e.value) || credentialIn(e.value) !== undefined) {
          out.push({ jsonPath: `${r.path}.env[${i}].value`, message: `Environment variable ${e.name} holds a literal secret` });
        }
      });
    }
    return out;
  },
});
