// One program, both outputs: the AWS side as Terraform JSON (cdktf) and the workloads that run on the cluster as
// Kubernetes YAML (cdk8s). Nothing crosses from one side to the other but plain values: the cluster's profile (pools,
// zones, storage and ingress classes, VPC CIDR) and the identities' profiles; no Terraform token reaches the YAML.
//
// Run: `npx cdktf synth`, or `npx ts-node main.ts` (writes cdktf.out/). Set CDKTF_OUTDIR to write elsewhere; the YAML
// goes to <outdir>/kubernetes/.
import * as path from 'path';
import { App } from 'cdktf';
import { PlatformStack } from './stack';
import { addShopWorkloads } from './workloads';
// In your own project: `import { k8s } from 'shipshape';`
import { k8s } from '../../lib';

const outdir = process.env.CDKTF_OUTDIR ?? 'cdktf.out';
const app = new App({ outdir });
const stack = new PlatformStack(app, 'platform');

// The Kubernetes app knows its cluster: it targets its Kubernetes version, creates its StorageClass, IngressClass and
// the namespaces with Pod Security labels, and refuses at synth a pod no pool can take.
const kube = new k8s.App({ outdir: path.join(outdir, 'kubernetes'), cluster: stack.cluster.profile });
addShopWorkloads(kube, {
  ordersWorker: stack.ordersWorker.profile,
  thumbnailer: stack.thumbnailer.profile,
  batchPool: stack.batchPool.profile,
  queueUrl: stack.queueUrl,
  bucketName: stack.bucketName,
  region: stack.cluster.region,
});

// The Kubernetes side first: its checks read the cluster's profile (a pool removed or tainted in stack.ts refuses the
// workloads it leaves without nodes), and a refusal there must stop the program before the Terraform JSON that
// would apply that change is written. A refusal of the Terraform side (app.synth) comes after the YAML is written.
kube.synth();
app.synth();
