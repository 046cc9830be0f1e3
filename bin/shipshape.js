#!/usr/bin/env node
// `shipshape check <file|dir>...`: runs the policy packs over YAML that shipshape did not write.
require('../out/policy/cli').main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
