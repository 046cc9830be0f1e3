// An EKS cluster whose nodes Karpenter launches: Terraform JSON for the AWS side (cdktf) and the
// Karpenter EC2NodeClass and NodePools as Kubernetes YAML (cdk8s), from one program.
//
// Run: `npx ts-node main.ts` (writes cdktf.out/), or `cdktf synth` with cdktf-cli installed.
// Set CDKTF_OUTDIR to write elsewhere; the YAML goes to <outdir>/kubernetes/.
import * as path from 'path';
import { Chart } from 'cdk8s';
import { App } from 'cdktf';
import { EksKarpenterStack } from './stack';
// In your own project: `import { k8s } from 'shipshape';`
import { k8s } from '../../lib';

const outdir = process.env.CDKTF_OUTDIR ?? 'cdktf.out';
const app = new App({ outdir });
const stack = new EksKarpenterStack(app, 'eks-karpenter');

// The Kubernetes side reads plain values only (no Terraform token crosses over).
const kube = new k8s.App({ outdir: path.join(outdir, 'kubernetes') });
const chart = new Chart(kube, 'karpenter');
new k8s.karpenter.KarpenterResources(chart, 'karpenter', { profile: stack.karpenter.profile });
// the Kubernetes side first: a refusal there stops the program before the Terraform JSON is written
kube.synth();
app.synth();
