// Node pools, a workload identity and team access for an existing EKS cluster in an existing VPC.
//
// Run: `npx ts-node main.ts` (writes cdktf.out/), or `cdktf synth` with cdktf-cli installed.
// Set CDKTF_OUTDIR to write elsewhere.
import { App } from 'cdktf';
import { EksImportStack } from './stack';

const app = new App({ outdir: process.env.CDKTF_OUTDIR ?? 'cdktf.out' });
new EksImportStack(app, 'eks-import');
app.synth();
