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
  fix: 'set metadata.labels["app.kubernetes.io/instance"] to metadata.name',
  rationale: 'Tools that group objects by app.kubernetes.io/instance show the wrong owner when it differs from metadata.name.',
  kinds: ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'Pod', 'ReplicationController', 'DeploymentConfig'],
  check: (doc) => {
    const labels = o(o(doc.manifest.metadata).labels);
    return labels[KEY] === doc.name ? NONE : [{ jsonPath: `metadata.labels["${KEY}"]` }];
  },
});
