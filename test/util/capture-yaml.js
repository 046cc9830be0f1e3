// Preloaded (node -r) into an example's synth by test/examples.test.ts: records every YAML stream or
// file k8s.App writes together with the objects it was written from, so the test can prove that the
// written YAML parses back (YAML 1.2 and 1.1) to exactly those objects.
// Writes the records as JSON to $SHIPSHAPE_CAPTURE_YAML when the process exits.
const fs = require('fs');
const path = require('path');

const out = process.env.SHIPSHAPE_CAPTURE_YAML;
if (out) {
  const yaml = require(path.resolve(__dirname, '../../lib/k8s/yaml'));
  const original = yaml._toYamlStream;
  const records = [];
  yaml._toYamlStream = (docs) => {
    const text = original(docs);
    records.push({ text, docs: JSON.parse(JSON.stringify(docs.filter(d => d !== undefined))) });
    return text;
  };
  const originalWrite = yaml._writeYamlFile;
  yaml._writeYamlFile = (file, docs) => {
    originalWrite(file, docs);
    records.push({ text: fs.readFileSync(file, 'utf-8'), docs: JSON.parse(JSON.stringify(docs.filter(d => d !== undefined))) });
  };
  process.on('exit', () => fs.writeFileSync(out, JSON.stringify(records)));
}
