import { Violation } from '../../rule';
import { at, block, blocks, ERROR, isTrue, resolveRef, subnetZones, tfRule } from '../define';

/** SS-EKS-015: nodes run in private subnets without public IPs. */
export const EKS_15 = tfRule({
  id: 'SS-EKS-015',
  title: 'Private nodes, no public IPs',
  catalog: ['EKS-15'],
  severity: ERROR,
  kinds: ['aws_eks_node_group'],
  message: 'Nodes can get public IP addresses',
  fix: 'put node groups in private subnets (map_public_ip_on_launch = false) and set associate_public_ip_address = false in the launch template',
  rationale: 'Nodes with public addresses are reachable from the internet wherever a security group slips.',
  sources: ['Checkov CKV_AWS_130, CKV_AWS_88', 'Trivy AWS-0164', 'CIS EKS 5.4.3', 'EKS Best Practices: deploy workers onto private subnets'],
  check: (doc, index) => {
    const v: Violation[] = [];
    const { subnets } = subnetZones(doc.manifest.subnet_ids, index);
    for (const s of subnets) {
      if (isTrue(s.manifest.map_public_ip_on_launch)) v.push(at('subnet_ids', `subnet ${s.name} assigns public IPs on launch`));
    }
    const ltRef = block(doc.manifest.launch_template);
    const lt = ltRef ? resolveRef(ltRef.id ?? ltRef.name, index, 'aws_launch_template') : undefined;
    if (lt) {
      blocks(lt.manifest.network_interfaces).forEach((ni: any, i: number) => {
        if (isTrue(ni.associate_public_ip_address)) v.push(at('launch_template', `launch template ${lt.name} network_interfaces[${i}] associates a public IP`));
      });
    }
    return v;
  },
});
