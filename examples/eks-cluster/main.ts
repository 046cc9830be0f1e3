// A production EKS cluster as Terraform JSON: a private cluster over three zones with an
// on-demand system pool, a spot pool for batch work and one workload identity.
//
// Run: `npx ts-node main.ts` (writes cdktf.out/), or `cdktf synth` with cdktf-cli installed.
// Set CDKTF_OUTDIR to write elsewhere.
import { App } from 'cdktf';
import { EksClusterStack } from './stack';

// `cdktf synth` and the project's `npm run synth` set CDKTF_OUTDIR; run by hand it writes cdktf.out/.
const app = new App({ outdir: process.env.CDKTF_OUTDIR ?? 'cdktf.out' });
new EksClusterStack(app, 'eks-cluster');
app.synth();
