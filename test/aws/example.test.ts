import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdktf';
import { terraformValidate } from './terraform-validate';
import { EksClusterStack } from '../../examples/eks-cluster/main';

function synthExample(): { dir: string; json: any } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-eks-example-'));
  const app = new App({ outdir });
  new EksClusterStack(app, 'eks-cluster');
  app.synth();
  const dir = path.join(outdir, 'stacks', 'eks-cluster');
  return { dir, json: JSON.parse(fs.readFileSync(path.join(dir, 'cdk.tf.json'), 'utf8')) };
}

describe('examples/eks-cluster', () => {
  const { dir, json } = synthExample();

  test('passes terraform validate with the real hashicorp/aws 5.100.0 provider', () => {
    const result = terraformValidate(dir);
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.valid).toBe(true);
  });

  test('has the resources of a production cluster', () => {
    const r = json.resource;
    expect(Object.keys(r.aws_eks_cluster)).toHaveLength(1);
    expect(Object.keys(r.aws_eks_node_group)).toHaveLength(2);
    expect(Object.keys(r.aws_nat_gateway)).toHaveLength(3);
    expect(Object.keys(r.aws_eks_addon).length).toBe(5);
    expect(Object.keys(r.aws_iam_role).length).toBeGreaterThanOrEqual(7);
  });

  test('is deterministic', () => {
    const again = synthExample();
    expect(again.json).toEqual(json);
  });
});
