import { ApiObject, Chart } from 'cdk8s';
import { App, Worker, WorkerScaling } from '../../../lib/k8s';
import { stderrOfSynth, validationMessageOf } from '../../util/k8s';
import { tempDir } from '../../util/schema';

/** Synthesizes a KEDA-scaled worker whose trigger names TriggerAuthentication sqs-auth; `extra` adds objects. */
function synthOf(extra: (chart: Chart) => void = () => undefined): string {
  const app = new App({ outdir: tempDir('shipshape-keda-') });
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  new Worker(chart, 'mailer', {
    image: 'ghcr.io/acme/mailer:1.0.0',
    scaling: WorkerScaling.keda({ triggers: [{ type: 'aws-sqs-queue', authenticationRef: 'sqs-auth', metadata: { queueURL: 'https://sqs.eu-west-1.amazonaws.com/1/orders', queueLength: '20' } }] }),
  });
  extra(chart);
  return stderrOfSynth(app);
}

describe('KEDA triggers naming a TriggerAuthentication', () => {
  test('one the output does not hold is named in a note', () => {
    expect(synthOf()).toContain('shipshape note: ScaledObject shop/mailer: its triggers name TriggerAuthentication shop/sqs-auth, which this output does not hold: '
      + 'unless it is made otherwise (before the ScaledObject is applied), KEDA cannot authenticate the trigger and the workload stays at its minimum; '
      + 'add it to the app (an ApiObject of kind TriggerAuthentication naming the Secret keys, or pod identity), or check its name\n');
  });

  test('one the output holds is not', () => {
    expect(synthOf(chart => new ApiObject(chart, 'auth', {
      apiVersion: 'keda.sh/v1alpha1', kind: 'TriggerAuthentication', metadata: { name: 'sqs-auth' }, spec: { podIdentity: { provider: 'aws' } },
    }))).not.toContain('its triggers name');
  });
});

describe('KEDA AWS scalers', () => {
  const worker = (trigger: any) => {
    const app = new App({ outdir: tempDir('shipshape-keda-') });
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    new Worker(chart, 'mailer', { image: 'ghcr.io/acme/mailer:1.0.0', scaling: WorkerScaling.keda({ triggers: [trigger] }) });
    return app;
  };
  const sqs = (metadata: { [k: string]: string }, authenticationRef?: string) => ({ type: 'aws-sqs-queue', metadata, ...(authenticationRef ? { authenticationRef } : {}) });
  const QUEUE = 'https://sqs.eu-west-1.amazonaws.com/123456789012/orders';

  test('a trigger without credentials (no authenticationRef, no identityOwner: operator) is named in a note', () => {
    expect(stderrOfSynth(worker(sqs({ queueURL: QUEUE, queueLength: '20', awsRegion: 'eu-west-1' })))).toContain(
      'scaling.triggers[0] (aws-sqs-queue) has no authenticationRef: KEDA\'s operator, not the worker\'s pods, calls AWS for the scaler');
    expect(stderrOfSynth(worker(sqs({ queueURL: QUEUE, awsRegion: 'eu-west-1', identityOwner: 'operator' })))).not.toContain('has no authenticationRef');
  });

  test('a setting a letter or two off, or in another case, is refused with the setting meant; an unknown far one is kept', () => {
    expect(validationMessageOf(() => worker(sqs({ queueURL: QUEUE, queueLenght: '5' }, 'sqs-auth')))).toBe(
      'shop/mailer: scaling.triggers[0].metadata.queueLenght ("5") is not a setting of KEDA\'s aws-sqs-queue scaler, which would ignore it (or fail without the setting meant); did you mean queueLength?');
    expect(validationMessageOf(() => worker(sqs({ queueUrl: QUEUE }, 'sqs-auth')))).toContain('did you mean queueURL?');
    expect(() => worker(sqs({ queueURL: QUEUE, someNewerSetting: 'true' }, 'sqs-auth'))).not.toThrow();
  });
});
