import { Token } from 'cdktf';
import { IConstruct } from 'constructs';
import { fail } from '../../core/errors';
import { PolicyEffect, PolicyStatement } from '../policy-statement';

/**
 * Validates typed statements and renders them as IAM JSON statements.
 * @internal
 */
export function renderStatements(scope: IConstruct, prop: string, statements: PolicyStatement[]): any[] {
  return statements.map((s, i) => {
    const p = `${prop}[${i}]`;
    if (!Array.isArray(s.actions) || s.actions.length === 0) {
      fail(scope, `${p}.actions`, s.actions, 'must list at least one action', "name the actions, for example ['s3:GetObject']");
    }
    for (const a of s.actions) {
      if (a === '*' || !/^[a-zA-Z0-9-]+:[a-zA-Z0-9*]+$/.test(a)) {
        fail(scope, `${p}.actions`, a, 'must be <service>:<action> (a lone "*" is refused)', "name the actions, for example 's3:GetObject'");
      }
    }
    if (!Array.isArray(s.resources) || s.resources.length === 0) {
      fail(scope, `${p}.resources`, s.resources, 'must list at least one resource', 'name the resource ARNs the workload needs');
    }
    for (const r of s.resources) {
      // a Terraform reference (an unresolved token) becomes an ARN at apply; a plain string must be one already
      if (typeof r === 'string' && (r === '*' || r.startsWith('arn:') || Token.isUnresolved(r))) continue;
      fail(scope, `${p}.resources`, r, 'must be ARNs (arn:<partition>:<service>:<region>:<account>:<resource>) or "*"; IAM refuses any other resource with MalformedPolicyDocument',
        typeof r === 'string' && /^[a-z0-9][a-z0-9.-]*(\/.*)?$/.test(r)
          ? `write the full ARN, for example 'arn:aws:s3:::${r}' for an S3 bucket or its objects, or pass a resource's arn attribute`
          : "write the full ARN, for example 'arn:aws:s3:::my-bucket/*', or pass a resource's arn attribute");
    }
    const out: any = {};
    if (s.sid) out.Sid = s.sid;
    out.Effect = s.effect ?? PolicyEffect.ALLOW;
    out.Action = [...s.actions];
    out.Resource = [...s.resources];
    if (s.conditions && s.conditions.length > 0) {
      const cond: any = {};
      for (const c of s.conditions) {
        cond[c.test] = cond[c.test] ?? {};
        cond[c.test][c.variable] = [...c.values];
      }
      out.Condition = cond;
    }
    return out;
  });
}
