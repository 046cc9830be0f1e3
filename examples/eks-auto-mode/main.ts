// An EKS Auto Mode cluster: Terraform JSON for the AWS side (cdktf) and the extra Auto Mode NodePool
// as Kubernetes YAML (cdk8s), from one program.
//
// Run: `npx ts-node main.ts` (writes cdktf.out/), or `cdktf synth` with cdktf-cli installed.
// Set CDKTF_OUTDIR to write elsewhere; the YAML goes to <outdir>/kubernetes/.
import * as path from 'path';
import { Chart } from 'cdk8s';
import { App } from 'cdktf';
import { EksAutoModeStack } from './stack';
// In your own project: `import { k8s } from 'shipshape';`
import { k8s } from '../../lib';

const outdir = process.env.CDKTF_OUTDIR ?? 'cdktf.out';
const app = new App({ outdir });
const stack = new EksAutoModeStack(app, 'eks-auto-mode');

const kube = new k8s.App({ outdir: path.join(outdir, 'kubernetes') });
const chart = new Chart(kube, 'auto-mode');
for (const pool of stack.cluster.profile.autoModeNodePools ?? []) new k8s.karpenter.NodePool(chart, pool.name, { pool });
// the Kubernetes side first: a refusal there stops the program before the Terraform JSON is written
kube.synth();
app.synth();
