import { Chart, Testing } from 'cdk8s';
import { Fn, Token } from 'cdktf';
import { Job, WebService } from '../../lib/k8s';
import { validationMessageOf } from '../util/k8s';

describe('a number token where a prop wants a literal number', () => {
  const chart = () => new Chart(Testing.app(), 'shop', { namespace: 'shop' });
  const token = (fallback: number) => Token.asNumber(Fn.lookup({}, 'x', fallback));

  test('is refused as a token, naming what the prop needs, not as the huge number it is encoded as', () => {
    const msg = validationMessageOf(() => new Job(chart(), 'migrate', { image: 'ghcr.io/acme/migrate:1.0.0', backoffLimit: token(3) }));
    expect(msg).toBe('shop/migrate: backoffLimit (a number token) is an unresolved Terraform (cdktf) or CDK token, a value known only after deploy, which shipshape cannot check '
      + 'or write into the YAML; pass a literal number known at synth (backoffLimit must be a whole number of at least 0)');
    expect(msg).not.toMatch(/e\+\d{3}/);
    expect(validationMessageOf(() => new WebService(chart(), 'web', { image: 'ghcr.io/acme/web:1.0.0', terminationGracePeriodSeconds: token(30) })))
      .toMatch(/^shop\/web: terminationGracePeriodSeconds \(a number token\) is an unresolved Terraform \(cdktf\) or CDK token, .*; pass a literal number known at synth \(terminationGracePeriodSeconds must be a whole number/);
  });

  test('a real number out of range keeps its message', () => {
    expect(validationMessageOf(() => new Job(chart(), 'migrate', { image: 'ghcr.io/acme/migrate:1.0.0', backoffLimit: -1 })))
      .toMatch(/^shop\/migrate: backoffLimit \(-1\) must be a whole number of at least 0; /);
  });
});
