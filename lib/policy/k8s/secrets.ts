// Internal: patterns that reveal a secret in a name or a value (shared with the constructs' checks, lib/core).
export { credentialIn, secretByName, secretSettingIn } from '../../core/secret-patterns';
