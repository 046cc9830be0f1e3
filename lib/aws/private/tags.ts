import { IConstruct } from 'constructs';
import { fail, warn } from '../../core/errors';
import { EnvironmentProfile } from '../../core/profile';
import { CostTags } from '../cost-tags';

const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/**
 * Validates cost tags and renders them as an AWS tag map. Internal.
 * @internal
 */
export function renderCostTags(scope: IConstruct, prop: string, tags: CostTags | undefined): { [key: string]: string } {
  const fix = `pass ${prop}: { team: 'payments', environment: 'production', costCentre: 'cc-1234' }`;
  if (!tags || typeof tags !== 'object') {
    fail(scope, prop, tags, 'is required: every resource carries the cost-attribution tags team, environment and cost-centre', fix);
  }
  const required: Array<[keyof CostTags, string]> = [['team', 'team'], ['environment', 'environment'], ['costCentre', 'cost-centre']];
  const out: { [key: string]: string } = {};
  for (const [field, key] of required) {
    const v = (tags as any)[field];
    if (typeof v !== 'string' || v.trim() === '') {
      fail(scope, `${prop}.${field}`, v, 'must be a non-empty string (cost attribution)', fix);
    }
    if (v.length > 256 || !TAG_VALUE.test(v)) {
      fail(scope, `${prop}.${field}`, v, 'must be at most 256 letters, digits, spaces or _.:/=+-@', 'use a plain tag value');
    }
    out[key] = v;
  }
  for (const [k, v] of Object.entries(tags.extra ?? {})) {
    if (k.toLowerCase().startsWith('aws:') || k.length === 0 || k.length > 128) {
      fail(scope, `${prop}.extra`, k, 'keys must be 1-128 characters and must not start with aws:', 'rename the tag key');
    }
    if (typeof v !== 'string' || v.length > 256 || !TAG_VALUE.test(v)) {
      fail(scope, `${prop}.extra.${k}`, v, 'must be at most 256 letters, digits, spaces or _.:/=+-@', 'use a plain tag value');
    }
    out[k] = v;
  }
  out['managed-by'] = 'shipshape';
  return out;
}

/** The environment profile a tag value plainly names (`dev`, `stage`, `prod`...), or undefined. */
function profileNamed(tag: string): EnvironmentProfile | undefined {
  const t = tag.trim().toLowerCase();
  if (['dev', 'develop', 'development'].includes(t)) return EnvironmentProfile.DEVELOPMENT;
  if (['stage', 'staging', 'stg'].includes(t)) return EnvironmentProfile.STAGING;
  if (['prod', 'production', 'prd'].includes(t)) return EnvironmentProfile.PRODUCTION;
  return undefined;
}

/**
 * The `environment` prop against the `environment` cost tag: a tag that plainly names another environment than the
 * one the construct builds for (tags `dev`, the prop left at its default, production: three NAT gateways) is refused
 * when the prop is unset, and warned about when it is set.
 * @internal
 */
export function checkEnvironmentTag(scope: IConstruct, given: EnvironmentProfile | undefined, built: EnvironmentProfile, tags: CostTags | undefined): void {
  const named = typeof tags?.environment === 'string' ? profileNamed(tags.environment) : undefined;
  if (named === undefined || named === built) return;
  const member = `EnvironmentProfile.${named.toUpperCase()}`;
  if (given === undefined) {
    fail(scope, 'environment', `unset (${built})`, `contradicts the environment tag ${JSON.stringify(tags!.environment)}: left out, it is ${built}, which sizes and protects the resources for ${built}`,
      `set environment: ${member} to build for ${named}, or environment: EnvironmentProfile.${built.toUpperCase()} to keep ${built} with that tag`);
  }
  warn(scope, `environment (${built}) differs from the environment tag ${JSON.stringify(tags!.environment)}, which names ${named}: the resources are built for ${built} and tagged otherwise`);
}
