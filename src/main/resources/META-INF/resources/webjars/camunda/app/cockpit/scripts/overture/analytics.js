// Journey analytics in Cockpit: per-step counts on the diagram and, in a tab, entries and conversions per
// day and the experiments' variant table. A plain ES module that Cockpit imports through customScripts in
// ../config.js; it reads Overture's API with the signed-in user's webapp session (docs/access.md), so
// nothing here holds a credential, and it draws everything itself (no chart library, nothing fetched
// from outside the app).

const SVG = 'http://www.w3.org/2000/svg';

// Overture's API sits beside the webapps: app-root is the servlet context plus their path ("/camunda")
const OVERTURE_API = document.querySelector('base').getAttribute('app-root').replace(/\/[^/]*$/, '') + '/api';

// the diagram plugin and the tab render together and share one load; a later visit loads afresh
const loads = new Map();
const SHARED_FOR_MS = 5000;

async function getJson(url) {
  const response = await fetch(url, {credentials: 'same-origin', headers: {Accept: 'application/json'}});
  if (!response.ok) {
    const error = new Error(url + ' answered ' + response.status);
    error.status = response.status;
    throw error;
  }
  return response.json();
}

/**
 * The definition's key and version, whether it is a journey (approval processes are not: the catalog
 * answers 404 for them), and its stats and results for exactly this version.
 */
function analyticsOf(processDefinitionId, api) {
  const cached = loads.get(processDefinitionId);
  if (cached && Date.now() - cached.at < SHARED_FOR_MS) {
    return cached.load;
  }
  const load = (async () => {
    const definition = await getJson(api.engineApi + '/process-definition/' + encodeURIComponent(processDefinitionId));
    const journey = OVERTURE_API + '/journeys/' + encodeURIComponent(definition.key);
    try {
      await getJson(journey);
    } catch (e) {
      if (e.status === 404) {
        return {definition, journey: false};
      }
      throw e;
    }
    const query = '?version=' + definition.version;
    const [stats, results] = await Promise.all([getJson(journey + '/stats' + query), getJson(journey + '/results' + query)]);
    return {definition, journey: true, stats, results};
  })();
  loads.set(processDefinitionId, {at: Date.now(), load});
  load.catch(() => loads.delete(processDefinitionId));
  return load;
}

function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  Object.entries(attributes || {}).forEach(([name, value]) => node.setAttribute(name, value));
  children.forEach(child => node.append(child));
  return node;
}

function svg(tag, attributes, ...children) {
  const node = document.createElementNS(SVG, tag);
  Object.entries(attributes || {}).forEach(([name, value]) => node.setAttribute(name, String(value)));
  children.forEach(child => node.append(child));
  return node;
}

const count = n => Number(n).toLocaleString('en-US');
const percent = rate => rate == null ? '–' : (rate * 100).toFixed(1) + ' %';

function number(className, title, value) {
  return el('span', {class: className, title}, count(value));
}

// ---- on the diagram ------------------------------------------------------------------------------------

function drawStepStats(viewer, stats, results) {
  const overlays = viewer.get('overlays');
  const registry = viewer.get('elementRegistry');
  const ends = new Map((results.byEndEvent || []).map(e => [e.elementId, e]));
  (stats.elements || []).forEach(step => {
    if (!registry.get(step.elementId)) {
      return;
    }
    const box = el('div', {class: 'overture-step-stats', 'data-element-id': step.elementId},
        number('entered', 'entered this step', step.entered), ' in · ',
        number('active', 'waiting here now', step.active), ' now · ',
        number('completed', 'completed this step', step.completed), ' done');
    const end = ends.get(step.elementId);
    if (end) {
      box.append(el('div', {class: 'conversion', title: end.converted + ' of ' + end.reached + ' who ended here converted',
        'data-rate': String(end.conversionRate)}, percent(end.conversionRate) + ' converted'));
    }
    overlays.add(step.elementId, 'overture-step-stats', {position: {top: -22, left: -4}, html: box});
  });
}

const diagramPlugin = {
  id: 'overture-journey-step-stats',
  pluginPoint: 'cockpit.processDefinition.diagram.plugin',
  priority: 10,
  render: (viewer, {processDefinitionId, api}) => {
    analyticsOf(processDefinitionId, api)
        .then(a => a.journey && drawStepStats(viewer, a.stats, a.results))
        .catch(e => console.error('Overture journey analytics:', e));
  }
};

// ---- the tab: totals, the daily chart and the variant table --------------------------------------------

/** Every day from the first to the last one either series names, so gaps show as zero. */
function days(stats, results) {
  const entered = new Map((stats.daily || []).map(d => [d.day, d.entered]));
  const converted = new Map((results.daily || []).map(d => [d.day, d.conversions]));
  const named = [...entered.keys(), ...converted.keys()].sort();
  if (named.length === 0) {
    return [];
  }
  const out = [];
  for (let day = new Date(named[0] + 'T00:00:00Z'); day <= new Date(named[named.length - 1] + 'T00:00:00Z');
       day.setUTCDate(day.getUTCDate() + 1)) {
    const key = day.toISOString().slice(0, 10);
    out.push({day: key, entered: entered.get(key) || 0, conversions: converted.get(key) || 0});
  }
  return out;
}

function dailyChart(series) {
  const width = 640, height = 170, left = 44, bottom = 22, top = 10;
  const chart = svg('svg', {class: 'overture-daily-chart', viewBox: `0 0 ${width} ${height}`, width, height, role: 'img',
    'aria-label': 'Entries and conversions per day'});
  if (series.length === 0) {
    chart.append(svg('text', {x: left, y: height / 2}, 'No entries yet'));
    return chart;
  }
  const max = Math.max(1, ...series.map(d => Math.max(d.entered, d.conversions)));
  const plot = height - bottom - top;
  const slot = (width - left) / series.length;
  const bar = Math.max(1, Math.min(18, slot / 2 - 1));
  const y = v => top + plot - (v / max) * plot;
  chart.append(svg('line', {x1: left, x2: width, y1: y(0), y2: y(0), class: 'axis'}));
  chart.append(svg('text', {x: left - 6, y: y(max) + 4, 'text-anchor': 'end'}, count(max)));
  chart.append(svg('text', {x: left - 6, y: y(0), 'text-anchor': 'end'}, '0'));
  series.forEach((d, i) => {
    const x = left + i * slot + slot / 2;
    chart.append(svg('rect', {class: 'entered', x: x - bar, y: y(d.entered), width: bar, height: y(0) - y(d.entered),
      'data-day': d.day, 'data-value': d.entered}, svg('title', {}, `${d.day}: ${count(d.entered)} entered`)));
    chart.append(svg('rect', {class: 'conversions', x, y: y(d.conversions), width: bar, height: y(0) - y(d.conversions),
      'data-day': d.day, 'data-value': d.conversions}, svg('title', {}, `${d.day}: ${count(d.conversions)} converted`)));
  });
  const labelled = series.length === 1 ? [0] : [0, series.length - 1];
  labelled.forEach(i => chart.append(svg('text', {x: left + i * slot + slot / 2, y: height - 6, 'text-anchor': 'middle'},
    series[i].day)));
  return chart;
}

function legend() {
  return el('div', {class: 'overture-legend'},
      el('span', {class: 'swatch entered'}), ' entered ', el('span', {class: 'swatch conversions'}), ' converted (goal reached)');
}

function signedPercent(value) {
  return value == null ? '–' : (value > 0 ? '+' : '') + (value * 100).toFixed(1) + ' %';
}

function pValue(p) {
  return p == null ? '–' : p < 0.001 ? '< 0.001' : p.toFixed(3);
}

function variantTable(experiment) {
  const head = el('tr', {}, ...['Variant', 'Control', 'Profiles', 'Conversions', 'Rate (95 % interval)', 'Lift over control',
    'p-value', 'Winner'].map(h => el('th', {}, h)));
  const rows = experiment.variants.map(v => {
    const interval = v.ci95 ? ` (${percent(v.ci95[0])} – ${percent(v.ci95[1])})` : '';
    return el('tr', {'data-variant': v.variant},
        el('td', {class: 'variant'}, v.variant),
        el('td', {class: 'control'}, v.control ? 'yes' : 'no'),
        el('td', {class: 'profiles'}, count(v.profiles)),
        el('td', {class: 'conversions'}, count(v.conversions)),
        el('td', {class: 'rate', 'data-value': String(v.rate), 'data-low': v.ci95 ? String(v.ci95[0]) : '',
          'data-high': v.ci95 ? String(v.ci95[1]) : ''}, percent(v.rate) + interval),
        el('td', {class: 'lift', 'data-value': String(v.lift)}, signedPercent(v.lift)),
        el('td', {class: 'p-value', 'data-value': String(v.pValue)}, pValue(v.pValue)),
        el('td', {class: 'winner'}, experiment.winner === v.variant ? 'winner' : ''));
  });
  const verdict = experiment.winner
    ? `Variant ${experiment.winner} wins: its lift over control is significant (p < 0.05) and every arm has at least ${count(experiment.minimumSample)} profiles.`
    : `No winner yet: a winner needs p < 0.05 and at least ${count(experiment.minimumSample)} profiles in every arm.`;
  return el('div', {class: 'overture-experiment', 'data-experiment': experiment.experimentKey},
      el('h4', {}, `Experiment ${experiment.experimentKey} (split at ${experiment.elementId})`),
      el('table', {class: 'table table-condensed overture-variants'}, el('thead', {}, head), el('tbody', {}, ...rows)),
      el('p', {class: 'verdict'}, verdict),
      ...(experiment.decision ? [decisionNote(experiment.decision)] : []));
}

// the auto-winner decision the split routes by: taken once, on the figures of that moment
function decisionNote(d) {
  const kept = d.controlShare > 0 ? `, but ${d.controlShare} % kept in ${d.controlVariant} to keep measuring` : '';
  const arms = d.figures.map(f => `${f.variant} ${count(f.conversions)}/${count(f.profiles)}`).join(', ');
  return el('p', {class: 'decision', 'data-winner': d.winner, 'data-decided-at': d.decidedAt},
      `Decided ${d.decidedAt}: every entry since goes to ${d.winner}${kept}. p = ${pValue(d.pValue)} `
      + `(${pValue(d.adjustedPValue)} after ${d.method}, level ${d.alpha}, at least ${count(d.minimumSample)} per arm); `
      + `figures then: ${arms}.`);
}

function renderTab(node, a) {
  node.replaceChildren();
  const {definition, stats, results} = a;
  if (!a.journey) {
    node.append(el('p', {class: 'overture-not-a-journey'},
        `${definition.key} is an approval process, not a customer journey: it has no journey analytics.`));
    return;
  }
  const goal = results.goal
    ? `Goal: ${results.goal.eventType}${results.goal.condition ? ' where ' + results.goal.condition : ''} within ${results.goal.window} of entry.`
    : 'This journey declares no goal, so it has no conversions.';
  node.append(el('div', {class: 'overture-analytics', 'data-version': String(definition.version)},
      el('p', {class: 'overture-totals'},
          `Version ${definition.version}: `, number('entered', 'profiles that entered', stats.entered), ' entered, ',
          number('active', 'still in the journey', stats.active), ' active, ',
          number('completed', 'ended, for any reason', stats.completed), ' ended; ',
          number('conversions', 'reached the goal', results.conversions), ' converted (',
          percent(results.conversionRate), ').'),
      el('p', {class: 'overture-goal'}, goal),
      dailyChart(days(stats, results)), legend(),
      ...(results.holdout && results.holdout.percent > 0 ? [el('p', {class: 'overture-holdout'},
          `Global holdout (${results.holdout.percent} % of all profiles, no marketing messages): `
          + `${count(results.holdout.profiles)} profiles, ${count(results.holdout.conversions)} converted (${percent(results.holdout.rate)}).`)] : []),
      ...(results.experiments || []).map(variantTable)));
}

const tabPlugin = {
  id: 'overture-journey-analytics-tab',
  pluginPoint: 'cockpit.processDefinition.runtime.tab',
  priority: 20,
  properties: {label: 'Journey analytics'},
  render: (node, {processDefinitionId, api}) => {
    node.replaceChildren(el('p', {}, 'Loading journey analytics…'));
    analyticsOf(processDefinitionId, api)
        .then(a => renderTab(node, a))
        .catch(e => node.replaceChildren(el('p', {class: 'overture-error'}, 'Journey analytics could not be loaded: ' + e.message)));
  }
};

export default [diagramPlugin, tabPlugin];
