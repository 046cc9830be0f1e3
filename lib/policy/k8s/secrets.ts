// Internal: patterns that reveal a secret in a name or a value (shared with the constructs' checks, lib/core).
export { credentialIn, secretName } from '../../core/secret-patterns';
