import { IRule, IRulePack, PolicyDocument } from '../rule';
import { EKS_01 } from './rules/eks-01-control-plane-logs';
import { EKS_02 } from './rules/eks-02-secrets-encryption';
import { EKS_03 } from './rules/eks-03-kms-key-hygiene';
import { EKS_04 } from './rules/eks-04-public-endpoint-off';
import { EKS_05 } from './rules/eks-05-private-endpoint-on';
import { EKS_06 } from './rules/eks-06-public-endpoint-cidrs';
import { EKS_07 } from './rules/eks-07-supported-version';
import { EKS_08 } from './rules/eks-08-access-entries';
import { EKS_09 } from './rules/eks-09-dedicated-cluster-role';
import { EKS_10 } from './rules/eks-10-multi-az-control-plane';
import { EKS_11 } from './rules/eks-11-control-plane-log-group';
import { EKS_12 } from './rules/eks-12-imdsv2-required';
import { EKS_13 } from './rules/eks-13-imds-hop-limit';
import { EKS_14 } from './rules/eks-14-no-ssh';
import { EKS_15 } from './rules/eks-15-private-nodes';
import { EKS_16 } from './rules/eks-16-encrypted-node-volumes';
import { EKS_17 } from './rules/eks-17-no-secrets-in-user-data';
import { EKS_18 } from './rules/eks-18-nodes-across-zones';
import { EKS_19 } from './rules/eks-19-container-optimised-os';
import { EKS_20 } from './rules/eks-20-least-privilege-node-role';
import { EKS_21 } from './rules/eks-21-workload-identity-scope';
import { EKS_22 } from './rules/eks-22-managed-addons';
import { EKS_23 } from './rules/eks-23-workload-role-not-admin';
import { EKS_24 } from './rules/eks-24-no-open-cluster-security-groups';

const RULES: IRule[] = [
  EKS_01, EKS_02, EKS_03, EKS_04, EKS_05, EKS_06, EKS_07, EKS_08, EKS_09, EKS_10, EKS_11,
  EKS_12, EKS_13, EKS_14, EKS_15, EKS_16, EKS_17, EKS_18, EKS_19, EKS_20, EKS_21, EKS_22, EKS_23, EKS_24,
];

/**
 * The Terraform rule pack for EKS over synthesized Terraform JSON: rule ids SS-EKS-001 … SS-EKS-024, listed in
 * the rule catalog, docs/rules.md.
 */
export class TerraformPack implements IRulePack {
  public readonly name: string = 'terraform';
  public readonly rules: IRule[] = [...RULES];
}

/**
 * Turns Terraform JSON (a cdktf stack's `cdk.tf.json`, or any `*.tf.json`) into policy documents:
 * one per managed resource, kind = resource type, name = resource name.
 */
export class TerraformDocuments {
  /**
   * @param json the parsed Terraform JSON
   * @param basePath the path used for resources without cdktf metadata (`<basePath>/<type>.<name>`)
   */
  public static fromJson(json: { [key: string]: any }, basePath?: string): PolicyDocument[] {
    const docs: PolicyDocument[] = [];
    const resources = json && typeof json.resource === 'object' && json.resource ? json.resource : {};
    for (const type of Object.keys(resources)) {
      const byName = resources[type] ?? {};
      for (const name of Object.keys(byName)) {
        const body = byName[name];
        const metaPath = body?.['//']?.metadata?.path;
        const path = typeof metaPath === 'string' ? metaPath : `${basePath ?? ''}${basePath ? '/' : ''}${type}.${name}`;
        docs.push({ kind: type, name, manifest: body, path });
      }
    }
    return docs;
  }

  private constructor() {}
}
