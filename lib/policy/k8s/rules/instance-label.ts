import { k8sRule, NONE, WARNING } from '../define';
import { o } from '../pod';

const KEY = 'app.kubernetes.io/instance';

/** SS-K8S-067 — docs/rules.md#ss-k8s-067. */
export const instanceLabel = k8sRule({
  id: 'SS-K8S-067',
  title: 'Instance label equals the name',
  catalog: ['K8S-META-03'],
  severity: WARNING,
  message: 'Label app.kubernetes.io/instance does not equal metadata.name',
  fix: 'set metadata.labels["app.kubernetes.io/instance"] to metadata.name (where a Helm release or an Argo CD Application sets it to the release\'s name, as the '
    + 'recommended labels allow, and the label is part of an immutable selector, leave the rule out for those manifests: new KubernetesPack({ exclude: [\'SS-K8S-067\'] }) at synth, --exclude SS-K8S-067 with shipshape check)',
  rationale: 'Tools that group objects by app.kubernetes.io/instance show the wrong owner when it differs from metadata.name. Helm and Argo CD set it to the '
    + 'release\'s name for every object, which the recommended labels allow: the rule is Polaris\'s, for manifests a team writes itself.',
  kinds: ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'Pod', 'ReplicationController', 'DeploymentConfig'],
  check: (doc) => {
    const labels = o(o(doc.manifest.metadata).labels);
    if (labels[KEY] === doc.name) return NONE;
    // say which: a missing label (most hand-written manifests) is not a wrong one
    const missing = !Object.prototype.hasOwnProperty.call(labels, KEY);
    return [{
      jsonPath: `metadata.labels["${KEY}"]`,
      message: missing ? `Label ${KEY} is missing (it should equal metadata.name, ${JSON.stringify(doc.name)})`
        : `Label ${KEY} (${JSON.stringify(labels[KEY])}) does not equal metadata.name (${JSON.stringify(doc.name)})`,
    }];
  },
});
