import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** Where the machine image keeps the hashicorp/aws provider binary. */
export const PLUGIN_MIRROR = '/opt/tf-plugins';
const PROVIDER_SUBDIR = 'registry.terraform.io/hashicorp/aws/5.100.0/linux_amd64';

/**
 * Throws a clear error when terraform or the provider mirror is missing (a test failure, never a skip).
 */
export function assertTerraformAvailable(mirror: string = PLUGIN_MIRROR): string {
  const providerDir = path.join(mirror, PROVIDER_SUBDIR);
  let version: string;
  try {
    version = execFileSync('terraform', ['version', '-json'], { encoding: 'utf8', env: { ...process.env, TF_CLI_CONFIG_FILE: '/dev/null' } });
  } catch (e) {
    throw new Error(`terraform CLI not found on PATH: install Terraform >= 1.5 to run terraform validate (${(e as Error).message})`);
  }
  if (!fs.existsSync(providerDir) || fs.readdirSync(providerDir).filter((f) => f.startsWith('terraform-provider-aws')).length === 0) {
    throw new Error(`hashicorp/aws 5.100.0 provider missing from the filesystem mirror: expected a terraform-provider-aws binary in ${providerDir}`);
  }
  return JSON.parse(version).terraform_version;
}

/**
 * A scratch directory holding `files` (name -> content), initialized with `terraform init -backend=false`
 * against the local filesystem mirror only. Returns the directory and the environment to run terraform with;
 * the caller removes the directory.
 */
export function terraformWorkdir(files: { [name: string]: string }): { work: string; env: NodeJS.ProcessEnv } {
  assertTerraformAvailable();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-tf-'));
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(work, name)), { recursive: true });
    fs.writeFileSync(path.join(work, name), content);
  }
  const cliConfig = path.join(work, 'terraformrc');
  fs.writeFileSync(cliConfig, [
    'provider_installation {',
    '  filesystem_mirror {',
    `    path    = "${PLUGIN_MIRROR}"`,
    '    include = ["registry.terraform.io/hashicorp/aws"]',
    '  }',
    '}',
    '',
  ].join('\n'));
  const env = {
    ...process.env,
    TF_CLI_CONFIG_FILE: cliConfig,
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    CHECKPOINT_DISABLE: '1',
    TF_PLUGIN_CACHE_DIR: '',
  };
  try {
    execFileSync('terraform', ['init', '-backend=false', '-input=false', '-no-color'], { cwd: work, env, encoding: 'utf8', stdio: 'pipe' });
  } catch (e: any) {
    fs.rmSync(work, { recursive: true, force: true });
    throw new Error(`terraform init failed (provider mirror ${PLUGIN_MIRROR}):\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
  }
  return { work, env };
}

/**
 * Runs `terraform init -backend=false` and `terraform validate -json` on a synthesized stack directory
 * (copied to a temp dir), with a CLI config pointing at the local filesystem mirror only.
 * Returns the parsed validate output.
 */
export function terraformValidate(stackDir: string): { valid: boolean; error_count: number; warning_count: number; diagnostics: any[] } {
  const { work, env } = terraformWorkdir({ 'cdk.tf.json': fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8') });
  try {
    let out: string;
    try {
      out = execFileSync('terraform', ['validate', '-json', '-no-color'], { cwd: work, env, encoding: 'utf8', stdio: 'pipe' });
    } catch (e: any) {
      out = e.stdout ?? '';
      if (!out) throw new Error(`terraform validate failed to run:\n${e.stderr ?? e.message}`);
    }
    return JSON.parse(out);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
