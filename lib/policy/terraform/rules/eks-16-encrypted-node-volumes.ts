import { Violation } from '../../rule';
import { at, block, blocks, ERROR, isTrue, tfRule } from '../define';

/** SS-EKS-016: node volumes are encrypted with a KMS key. */
export const EKS_16 = tfRule({
  id: 'SS-EKS-016',
  title: 'Node volumes encrypted',
  catalog: ['EKS-16'],
  severity: ERROR,
  kinds: ['aws_launch_template'],
  message: 'Node volumes are not encrypted with a KMS key',
  fix: 'add block_device_mappings with ebs { encrypted = "true", kms_key_id = aws_kms_key.<key>.arn }; for a node pool shipshape writes, give its cluster a KMS key: '
    + 'encryptionKeyArn on a cluster imported with EksCluster.fromClusterAttributes (a cluster shipshape creates has one)',
  rationale: 'Node volumes hold images, logs and emptyDir data; encryption with a KMS key protects them at rest and in snapshots.',
  sources: ['EKS Best Practices: encrypt data at rest'],
  check: (doc) => {
    const maps = blocks(doc.manifest.block_device_mappings);
    if (maps.length === 0) return [at('block_device_mappings', 'no block_device_mappings: volume encryption depends on account defaults')];
    const v: Violation[] = [];
    maps.forEach((bd: any, i: number) => {
      const ebs = block(bd.ebs);
      if (!ebs) return;
      if (!isTrue(ebs.encrypted)) v.push(at(`block_device_mappings[${i}].ebs.encrypted`));
      if (!ebs.kms_key_id) v.push(at(`block_device_mappings[${i}].ebs.kms_key_id`, 'no kms_key_id: the volume uses the AWS-managed key'));
    });
    return v;
  },
});
