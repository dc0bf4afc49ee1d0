// Journey versions in Cockpit: a tab with each version's running instances, entries and migrations, and a dialog
// that migrates the customers of an earlier version to the live one: a preview from Overture's dry run (instances
// per element and where the plan sends them), then the migration and its progress. A plain ES module that Cockpit
// imports through customScripts in ../config.js. It calls Overture's API with the signed-in user's webapp session:
// reads as the analytics tab does, and the migration's POST with the webapps' own CSRF token, which a page of
// another site cannot read (docs/access.md).

const OVERTURE_API = document.querySelector('base').getAttribute('app-root').replace(/\/[^/]*$/, '') + '/api';
const PROGRESS_EVERY_MS = 1000;

function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  Object.entries(attributes || {}).forEach(([name, value]) => node.setAttribute(name, value));
  children.forEach(child => node.append(child));
  return node;
}

const count = n => Number(n).toLocaleString('en-US');

/** The webapps keep their CSRF token in this cookie for their own scripts to send back. */
function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)XSRF-TOKEN=([^;]*)/);
  return match ? decodeURIComponent(match[1]) : '';
}

async function call(method, url, body) {
  const headers = {Accept: 'application/json'};
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    headers['X-XSRF-TOKEN'] = csrfToken();
  }
  const response = await fetch(url, {method, credentials: 'same-origin', headers,
    body: body === undefined ? undefined : JSON.stringify(body)});
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) {
    const error = new Error(answer.detail || url + ' answered ' + response.status);
    error.status = response.status;
    throw error;
  }
  return answer;
}

/** The journey with, per version, its running instances (catalog) and its counts (stats of that version). */
async function versionsOf(processDefinitionId, api) {
  const definition = await call('GET', api.engineApi + '/process-definition/' + encodeURIComponent(processDefinitionId));
  const base = OVERTURE_API + '/journeys/' + encodeURIComponent(definition.key);
  let journey;
  try {
    journey = await call('GET', base);
  } catch (e) {
    if (e.status === 404) {
      return {definition, base, journey: null};
    }
    throw e;
  }
  const stats = await Promise.all(journey.versions.map(v => call('GET', base + '/stats?version=' + v.version)));
  const versions = journey.versions.map((v, i) => ({...v, live: v.version === journey.latestVersion, stats: stats[i]}));
  return {definition, base, journey, versions};
}

function versionTable(versions) {
  const head = el('tr', {}, ...['Version', 'State', 'Running', 'Entered', 'Migrated in', 'Migrated out'].map(h => el('th', {}, h)));
  const rows = versions.map(v => el('tr', {'data-version': String(v.version)},
      el('td', {class: 'version'}, String(v.version)),
      el('td', {class: 'state'}, v.live ? 'live' : 'earlier'),
      el('td', {class: 'running'}, count(v.running)),
      el('td', {class: 'entered'}, count(v.stats.entered)),
      el('td', {class: 'migrated-in'}, count(v.stats.migratedIn)),
      el('td', {class: 'migrated-out'}, count(v.stats.migratedOut))));
  return el('table', {class: 'table table-condensed overture-versions'}, el('thead', {}, head), el('tbody', {}, ...rows));
}

/** "Source_Id = Target_Id" per line, as the mapping the dry run and the migration take. */
function mappingOf(text) {
  const mapping = {};
  text.split('\n').map(line => line.trim()).filter(Boolean).forEach(line => {
    const [source, target] = line.split('=').map(part => part.trim());
    if (source && target) {
      mapping[source] = target;
    }
  });
  return mapping;
}

function preview(dryRun) {
  const head = el('tr', {}, ...['Element (old version)', 'Instances there', 'Moves to'].map(h => el('th', {}, h)));
  const rows = dryRun.elements.map(e => el('tr', {'data-element-id': e.elementId},
      el('td', {class: 'element'}, e.elementId),
      el('td', {class: 'instances'}, count(e.instances)),
      el('td', {class: 'target'}, e.target || 'nowhere: these instances would fail')));
  const failures = dryRun.failures.length === 0
    ? el('p', {class: 'overture-migration-failures', 'data-count': '0'}, `All ${count(dryRun.instances)} instances can move.`)
    : el('div', {class: 'overture-migration-failures', 'data-count': String(dryRun.failures.length)},
        el('p', {}, `${count(dryRun.failures.length)} of ${count(dryRun.instances)} instances would fail:`),
        el('ul', {}, ...dryRun.failures.slice(0, 10).map(f => el('li', {}, `${f.processInstanceId}: ${f.reasons.join('; ')}`))));
  return el('div', {class: 'overture-migration-preview'},
      el('table', {class: 'table table-condensed'}, el('thead', {}, head), el('tbody', {}, ...rows)), failures);
}

function showProgress(node, m) {
  node.replaceChildren(el('p', {class: 'overture-migration-progress', 'data-state': m.state, 'data-migrated': String(m.migrated),
      'data-failed': String(m.failed), 'data-instances': String(m.instances)},
      `Migration ${m.state}: ${count(m.migrated)} of ${count(m.instances)} migrated, ${count(m.failed)} failed, `
      + `${count(m.remaining)} to go.`, ...m.failures.map(f => el('span', {class: 'failure'}, ' ' + f))));
}

function migrateDialog(loaded, refresh) {
  const live = loaded.versions.find(v => v.live);
  const sources = loaded.versions.filter(v => !v.live && v.running > 0);
  const dialog = el('div', {class: 'overture-migrate-dialog', role: 'dialog', 'aria-label': 'Migrate customers'});
  if (sources.length === 0) {
    dialog.append(el('p', {class: 'overture-nothing-to-migrate'}, 'No earlier version has running instances to migrate.'));
    return dialog;
  }
  const source = el('select', {class: 'form-control overture-source'},
      ...sources.map(v => el('option', {value: String(v.version)}, `Version ${v.version} (${count(v.running)} running)`)));
  const target = el('select', {class: 'form-control overture-target', disabled: 'disabled'},
      el('option', {value: String(live.version)}, `Version ${live.version} (live)`));
  const mapping = el('textarea', {class: 'form-control overture-mapping', rows: '3',
    placeholder: 'Elements with the same id map by themselves; other pairs one per line: Old_Id = New_Id'});
  const previewButton = el('button', {class: 'btn btn-default overture-preview', type: 'button'}, 'Preview');
  const startButton = el('button', {class: 'btn btn-primary overture-start', type: 'button', disabled: 'disabled'}, 'Start migration');
  const result = el('div', {class: 'overture-migration-result'});
  const request = dryRun => ({fromVersion: Number(source.value), toVersion: live.version, mapping: mappingOf(mapping.value), dryRun});
  const failed = e => result.replaceChildren(el('p', {class: 'overture-error'}, e.message));
  previewButton.addEventListener('click', () => {
    startButton.setAttribute('disabled', 'disabled');
    call('POST', loaded.base + '/migrations', request(true)).then(dryRun => {
      result.replaceChildren(preview(dryRun));
      startButton.removeAttribute('disabled');
    }).catch(failed);
  });
  startButton.addEventListener('click', () => {
    startButton.setAttribute('disabled', 'disabled');
    previewButton.setAttribute('disabled', 'disabled');
    call('POST', loaded.base + '/migrations', request(false)).then(started => {
      showProgress(result, started);
      const poll = () => call('GET', loaded.base + '/migrations/' + encodeURIComponent(started.id)).then(m => {
        showProgress(result, m);
        if (m.state === 'completed') {
          refresh();
        } else {
          setTimeout(poll, PROGRESS_EVERY_MS);
        }
      }).catch(failed);
      setTimeout(poll, PROGRESS_EVERY_MS);
    }).catch(failed);
  });
  dialog.append(el('h4', {}, 'Migrate customers to the live version'),
      el('label', {}, 'From ', source), el('label', {}, 'To ', target), el('label', {}, 'Mapping ', mapping),
      el('p', {}, previewButton, ' ', startButton), result);
  return dialog;
}

function render(node, processDefinitionId, api) {
  versionsOf(processDefinitionId, api).then(loaded => {
    if (!loaded.journey) {
      node.replaceChildren(el('p', {class: 'overture-not-a-journey'},
          `${loaded.definition.key} is an approval process, not a customer journey: it has no journey versions.`));
      return;
    }
    const table = el('div', {class: 'overture-versions-table'}, versionTable(loaded.versions));
    const open = el('button', {class: 'btn btn-default overture-open-migrate', type: 'button'}, 'Migrate customers…');
    const panel = el('div', {class: 'overture-versions-panel'}, table, el('p', {}, open));
    const refresh = () => versionsOf(processDefinitionId, api)
        .then(again => table.replaceChildren(versionTable(again.versions)))
        .catch(e => table.append(el('p', {class: 'overture-error'}, e.message)));
    open.addEventListener('click', () => {
      open.remove();
      panel.append(migrateDialog(loaded, refresh));
    });
    node.replaceChildren(panel);
  }).catch(e => node.replaceChildren(el('p', {class: 'overture-error'}, 'Journey versions could not be loaded: ' + e.message)));
}

const versionsTab = {
  id: 'overture-journey-versions-tab',
  pluginPoint: 'cockpit.processDefinition.runtime.tab',
  priority: 15,
  properties: {label: 'Versions'},
  render: (node, {processDefinitionId, api}) => {
    node.replaceChildren(el('p', {}, 'Loading journey versions…'));
    render(node, processDefinitionId, api);
  }
};

export default [versionsTab];
