// Validates every element template file against Camunda's element-templates JSON schema (the
// validator Camunda Modeler itself uses). Exits non-zero, naming file and template, on any error.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { validate } from '@bpmn-io/element-templates-validator';

const dir = process.argv[2];
let failures = 0;
const ids = new Map();
for (const file of readdirSync(dir).filter(f => f.endsWith('.json')).sort()) {
  const text = readFileSync(join(dir, file), 'utf-8');
  const templates = JSON.parse(text);
  for (const template of Array.isArray(templates) ? templates : [ templates ]) {
    const { valid, errors } = validate(template);
    const name = `${file}: ${template.id} v${template.version}`;
    if (!valid) {
      failures++;
      for (const e of errors) {
        console.error(`${name}: ${e.dataPath || '/'} ${e.message}`);
      }
    }
    const key = `${template.id}@${template.version}`;
    if (ids.has(key)) {
      failures++;
      console.error(`${name}: same id and version as ${ids.get(key)}`);
    }
    ids.set(key, file);
  }
}
if (failures) {
  console.error(`${failures} element template(s) invalid`);
  process.exit(1);
}
console.log(`${ids.size} element templates valid`);
