import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, TerraformStack, Testing } from 'cdktf';
import * as aws from '../../lib/aws';
import { EnvironmentProfile } from '../../lib/core';

export const TAGS: aws.CostTags = { team: 'payments', environment: 'production', costCentre: 'cc-1' };

export function newStack(): TerraformStack {
  const app: App = Testing.app();
  const stack = new TerraformStack(app, 'test');
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  return stack;
}

export function network(stack: TerraformStack, props: Partial<aws.NetworkProps> = {}): aws.Network {
  return new aws.Network(stack, 'net', { region: 'eu-west-1', tags: TAGS, ...props });
}

export function cluster(stack: TerraformStack, props: Partial<aws.EksClusterProps> = {}, env?: EnvironmentProfile): aws.EksCluster {
  const net = network(stack, env ? { environment: env } : {});
  return new aws.EksCluster(stack, 'prod', { network: net, version: aws.KubernetesVersion.V1_33, ...props });
}

export function synth(stack: TerraformStack): any {
  return JSON.parse(Testing.synth(stack));
}

/** All resources of one type, as a list of bodies. */
export function resources(json: any, type: string): any[] {
  return Object.values(json.resource?.[type] ?? {});
}

/** The one resource of `type` whose logical id is `<...>_<idSuffix>_<hash>` (the end of its construct path). */
export function resourceAt(json: any, type: string, idSuffix: string): any {
  const escaped = idSuffix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`(^|_)${escaped}_[0-9A-F]{8}$`);
  const found = Object.entries(json.resource?.[type] ?? {}).filter(([k]) => re.test(k)).map(([, v]) => v);
  if (found.length !== 1) throw new Error(`expected one ${type} with id *${idSuffix}, found ${found.length}`);
  return found[0];
}

/** Runs `fn` and returns the validation error message it throws. */
export function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected a validation error, none was thrown');
}
