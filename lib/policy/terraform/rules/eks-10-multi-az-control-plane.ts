import { at, block, ERROR, list, subnetZones, tfRule } from '../define';

/** SS-EKS-010: control-plane subnets span at least two availability zones. */
export const EKS_10 = tfRule({
  id: 'SS-EKS-010',
  title: 'Control plane in two availability zones',
  catalog: ['EKS-10'],
  severity: ERROR,
  kinds: ['aws_eks_cluster'],
  message: 'The control-plane subnets do not span at least two availability zones',
  fix: 'list subnets of at least two availability zones in vpc_config.subnet_ids',
  rationale: 'The EKS API requires control-plane subnets in at least two zones; one zone fails the create, and a zone outage would take the endpoint network interfaces with it.',
  sources: ['Terraform AWS provider: aws_eks_cluster vpc_config', 'EKS Best Practices: reliability'],
  check: (doc, index) => {
    const ids = list(block(doc.manifest.vpc_config)?.subnet_ids);
    if (ids.length < 2) return [at('vpc_config.subnet_ids', 'fewer than two subnets')];
    const { zones, unknown } = subnetZones(ids, index);
    return unknown === 0 && zones.size < 2 ? [at('vpc_config.subnet_ids', `all subnets are in ${[...zones].join(', ')}`)] : [];
  },
});
