import { IConstruct } from 'constructs';
import { fail } from '../../core/errors';
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
