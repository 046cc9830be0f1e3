import { at, ERROR, tfRule } from '../define';

const ACCESS_KEY = /\b(AKIA|ASIA)[0-9A-Z]{16}\b/;
const SECRET_KEY = /aws_secret_access_key\s*[=:]\s*["']?[A-Za-z0-9/+=]{40}/i;

function decode(text: string): string {
  if (/^[A-Za-z0-9+/=\s]+$/.test(text) && text.length % 4 === 0) {
    try {
      return Buffer.from(text, 'base64').toString('utf8');
    } catch {
      return text;
    }
  }
  return text;
}

/** SS-EKS-017: no AWS credentials in launch template user data. */
export const EKS_17 = tfRule({
  id: 'SS-EKS-017',
  title: 'No secrets in user data',
  catalog: ['EKS-17'],
  severity: ERROR,
  kinds: ['aws_launch_template'],
  message: 'The launch template user data contains AWS credentials',
  fix: 'remove the keys from user_data; nodes get credentials from their instance role',
  rationale: 'User data is readable by anything that can describe the instance or reach its metadata; keys written there leak.',
  sources: ['Checkov CKV_AWS_46', 'Trivy AWS-0129'],
  check: (doc) => {
    const ud = doc.manifest.user_data;
    if (typeof ud !== 'string') return [];
    const texts = [ud, decode(ud)];
    return texts.some((t) => ACCESS_KEY.test(t) || SECRET_KEY.test(t)) ? [at('user_data')] : [];
  },
});
