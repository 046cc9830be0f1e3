import { Violation } from '../../rule';
import { at, block, ERROR, tfRule } from '../define';

/** SS-EKS-012: IMDSv2 is required on nodes. */
export const EKS_12 = tfRule({
  id: 'SS-EKS-012',
  title: 'IMDSv2 required on nodes',
  catalog: ['EKS-12'],
  severity: ERROR,
  kinds: ['aws_launch_template'],
  message: 'IMDSv2 is not required on the instances',
  fix: 'set metadata_options { http_endpoint = "enabled", http_tokens = "required" }',
  rationale: 'IMDSv1 answers any request, so a server-side request forgery in a pod can read the node role\'s credentials; IMDSv2 needs a session token.',
  sources: ['Checkov CKV_AWS_79', 'Trivy AWS-0130', 'EKS Best Practices: restrict access to the instance profile assigned to the worker node'],
  check: (doc) => {
    const md = block(doc.manifest.metadata_options);
    if (!md) return [at('metadata_options', 'metadata_options is missing')];
    const v: Violation[] = [];
    if (md.http_tokens !== 'required') v.push(at('metadata_options.http_tokens'));
    if (md.http_endpoint === 'disabled') v.push(at('metadata_options.http_endpoint', 'disabling IMDS breaks node bootstrap; require IMDSv2 instead'));
    return v;
  },
});
