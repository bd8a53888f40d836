// The analysts' dashboard: every figure comes from analytics' HTTP/JSON API
// (protobuf's JSON mapping: int64 as strings, zero values left out), asked
// with the analyst's sign-in token. No personal data exists in these answers.
// Text from the API reaches the page only as textContent, and the charts'
// tooltips are drawn on the canvas (renderMode richText), never as HTML.
// When every chart has drawn, <html data-state="ready"> (or "error").
'use strict';

const TOKEN_KEY = 'complaints.token';
const DEFAULT_DAYS = 91;  // the range shown until the analyst picks one
const MAX_HORIZON_DAYS = 92;

// Colour-blind-safe and distinct: Okabe & Ito's eight, then Paul Tol's muted
// scheme's others. Series beyond them are drawn together as "other" (grey).
const PALETTE = ['#E69F00', '#56B4E9', '#009E73', '#F0E442', '#0072B2', '#D55E00', '#CC79A7',
  '#000000', '#882255', '#44AA99', '#999933', '#AA4499', '#DDCC77', '#117733', '#332288'];
const OTHER = 'other';
const OTHER_COLOUR = '#BBBBBB';

// The dimensions a series is chosen by: the figures' row field and its value
// as the projection names it (a channel "CHANNEL_PHONE" is "phone").
const DIMENSIONS = {
  CATEGORY: (row) => row.category ?? '',
  DEPARTMENT: (row) => row.department ?? '',
  COMMUNITY: (row) => row.community ?? '',
  CHANNEL: (row) => (row.channel ?? '').replace(/^CHANNEL_/, '').toLowerCase(),
};

const $ = (id) => document.getElementById(id);
const num = (value) => Number(value ?? 0);  // int64 arrive as strings, zeros not at all
// A group has a compliance figure once some of it was judged on time or overdue.
const judged = (row) => num(row.onTime) + num(row.overdue) > 0;

function addDays(day, days) {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

function daysFrom(first, last) {
  const days = [];
  for (let day = first; day <= last; day = addDays(day, 1)) days.push(day);
  return days;
}

// ---- sign-in ---------------------------------------------------------------

// A token given in the address (#token=…, as the bring-up prints it) moves to
// this tab's storage and out of the address bar and the history.
function takeToken() {
  const given = new URLSearchParams(location.hash.slice(1)).get('token');
  if (given) {
    sessionStorage.setItem(TOKEN_KEY, given);
    history.replaceState(null, '', location.pathname + location.search);
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

function showSignIn(message) {
  sessionStorage.removeItem(TOKEN_KEY);
  $('board').hidden = true;
  $('sign-out').hidden = true;
  $('reload').hidden = true;
  $('sign-in').hidden = false;
  $('status').textContent = message;
  document.documentElement.dataset.state = 'signed-out';
}

class SignedOut extends Error {}

async function api(path, params = {}) {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') query.set(name, Array.isArray(value) ? value.join(',') : value);
  }
  const response = await fetch(`/api/v1/${path}?${query}`, {
    headers: { Authorization: `Bearer ${sessionStorage.getItem(TOKEN_KEY)}` },
    cache: 'no-store',
  });
  const body = await response.json();
  if (response.status === 401) throw new SignedOut(body.message);
  if (!response.ok) {
    const error = new Error(body.message || `HTTP ${response.status}`);
    error.code = body.code;
    throw error;
  }
  return body;
}

// ---- charts ----------------------------------------------------------------

const charts = {};

// Draws `option` on the chart in `id` and resolves once ECharts has finished
// drawing it (animations included).
function draw(id, option) {
  if (!charts[id]) charts[id] = echarts.init($(id), null, { renderer: 'canvas' });
  const chart = charts[id];
  return new Promise((resolve) => {
    chart.off('finished');
    chart.on('finished', () => { chart.off('finished'); resolve(); });
    chart.setOption({
      tooltip: { trigger: 'axis', renderMode: 'richText' },
      legend: { type: 'scroll', top: 0 },
      grid: { left: 50, right: 20, top: 40, bottom: 30 },
      ...option,
    }, { notMerge: true });
  });
}

// Stacked bars per day of the range, one series per value of the chosen
// dimension, largest first; the values beyond the palette are one "other".
function drawVolume(from, to, by, rows) {
  $('volume-range').textContent = `${from} – ${to}`;
  $('volume-by').textContent = by.toLowerCase();
  const valueOf = DIMENSIONS[by];
  const totals = new Map();
  for (const row of rows) totals.set(valueOf(row), (totals.get(valueOf(row)) ?? 0) + num(row.complaints));
  const values = [...totals.keys()].sort((a, b) => totals.get(b) - totals.get(a) || a.localeCompare(b));
  const shown = values.length > PALETTE.length ? values.slice(0, PALETTE.length - 1) : values;
  const byKey = new Map();
  for (const row of rows) {
    const name = shown.includes(valueOf(row)) ? valueOf(row) : OTHER;
    const key = `${row.day}|${name}`;
    byKey.set(key, (byKey.get(key) ?? 0) + num(row.complaints));
  }
  const names = shown.length < values.length ? [...shown, OTHER] : shown;
  const days = daysFrom(from, to);
  const series = names.map((name, i) => ({
    name: name === '' ? '(none)' : name,
    type: 'bar',
    stack: 'complaints',
    color: name === OTHER && shown.length < values.length ? OTHER_COLOUR : PALETTE[i],
    data: days.map((day) => byKey.get(`${day}|${name}`) ?? 0),
  }));
  return {
    values: values.filter((value) => value !== ''),
    drawn: draw('volume-chart', {
      xAxis: { type: 'category', data: days },
      yAxis: { type: 'value', minInterval: 1 },
      series,
    }),
  };
}

function drawProjection(projection) {
  const history = projection.history ?? [];
  const points = projection.points ?? [];
  const periods = [...history.map((h) => h.period), ...points.map((p) => p.period)];
  const pad = (values, before) => [...Array(before).fill(null), ...values];
  const n = history.length;
  const lower80 = points.map((p) => num(p.lower80));
  const lower95 = points.map((p) => num(p.lower95));
  const actual = [...history.map((h) => num(h.count)),
    ...points.map((p) => (p.actual === undefined ? null : num(p.actual)))];
  const band = (name, lower, upper, colour) => [
    { name: `${name} lower`, type: 'line', stack: name, data: pad(lower, n), symbol: 'none',
      lineStyle: { opacity: 0 }, tooltip: { show: false } },
    { name, type: 'line', stack: name, symbol: 'none', lineStyle: { opacity: 0 }, color: colour,
      areaStyle: { color: colour }, data: pad(upper.map((u, i) => u - lower[i]), n) },
  ];
  return draw('projection-chart', {
    legend: { top: 0, data: ['actual', 'forecast', '80 % interval', '95 % interval'] },
    xAxis: { type: 'category', data: periods },
    yAxis: { type: 'value', min: 0 },
    series: [
      ...band('95 % interval', lower95, points.map((p) => num(p.upper95)), 'rgba(86,180,233,0.25)'),
      ...band('80 % interval', lower80, points.map((p) => num(p.upper80)), 'rgba(0,114,178,0.35)'),
      { name: 'actual', type: 'line', data: actual, symbol: 'none', color: '#000000' },
      { name: 'forecast', type: 'line', data: pad(points.map((p) => num(p.forecast)), n),
        symbol: 'none', color: '#D55E00', lineStyle: { type: 'dashed', width: 2 } },
    ],
  });
}

function projectionNote(projection) {
  const served = (projection.backtest ?? [])[0] ?? {};
  const combined = projection.combined ?? [];
  const model = combined.length > 1 ? `the median of ${combined.join(', ')}` : projection.model;
  const notes = (projection.notes ?? []).map((note) => ` Note: ${note}.`).join('');
  return `Forecast: ${model}. MASE ${num(served.mase).toFixed(2)} against seasonal naive over ` +
    `${num(projection.backtestOrigins)} backtest cuts; its 80 % intervals held ` +
    `${(100 * num(projection.heldOutCoverage80)).toFixed(0)} % and 95 % held ` +
    `${(100 * num(projection.heldOutCoverage95)).toFixed(0)} % of held-out days.${notes}`;
}

function drawWeekly(rows) {
  const weeks = rows.map((row) => row.week);
  const resolved = rows.filter(judged);
  return Promise.all([
    draw('sla-chart', {
      legend: { show: false },
      xAxis: { type: 'category', data: resolved.map((row) => row.week) },
      yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value} %' } },
      series: [{ name: 'on time (%)', type: 'bar', color: '#009E73',
        data: resolved.map((row) => 100 * num(row.slaCompliance)) }],
    }),
    draw('resolution-chart', {
      xAxis: { type: 'category', data: weeks },
      yAxis: { type: 'value', min: 0 },
      series: [
        { name: 'median', type: 'line', color: '#0072B2',
          data: rows.map((row) => (num(row.resolved) ? num(row.resolutionMinutesP50) / 60 : null)) },
        { name: '90th percentile', type: 'line', color: '#E69F00',
          data: rows.map((row) => (num(row.resolved) ? num(row.resolutionMinutesP90) / 60 : null)) },
      ],
    }),
  ]);
}

// ---- tables ----------------------------------------------------------------

function fillTable(id, rows, cells) {
  const body = $(id).tBodies[0];
  body.replaceChildren();
  if (rows.length === 0) {
    const cell = body.insertRow().insertCell();
    cell.colSpan = $(id).tHead.rows[0].cells.length;
    cell.className = 'empty';
    cell.textContent = 'none';
    return;
  }
  for (const row of rows) {
    const tr = body.insertRow();
    for (const text of cells(row)) tr.insertCell().textContent = text;
  }
}

const hours = (minutes, row) => (num(row.resolved) ? (num(minutes) / 60).toFixed(1) : '–');
const percent = (share, row) => (judged(row) ? `${(100 * num(share)).toFixed(0)} %` : '–');
const when = (timestamp) => timestamp.replace('T', ' ').slice(0, 16);

function fillCommunities(rows) {
  fillTable('communities', rows, (row) => [
    row.community || '(none)', num(row.complaints), num(row.resolved),
    percent(row.slaCompliance, row), num(row.noTarget), hours(row.resolutionMinutesP50, row),
    hours(row.resolutionMinutesP90, row),
    num(row.satisfactionCount) ? `${num(row.satisfactionMean).toFixed(1)} (${num(row.satisfactionCount)})` : '–',
  ]);
}

function fillHot(answer) {
  $('hot-range').textContent = `${answer.recentFrom} – ${answer.recentTo} against ${answer.baselineFrom} – ${answer.baselineTo}`;
  fillTable('hot', answer.issues ?? [], (issue) => [
    issue.community, issue.kind === 'HOT_ISSUE_KIND_TERM' ? 'term' : 'category', issue.item,
    num(issue.recent), num(issue.baseline), num(issue.rateRatio).toFixed(1),
    num(issue.qValue).toPrecision(2),
  ]);
}

function fillIncidents(incidents) {
  fillTable('incidents', incidents, (incident) => [
    incident.category, incident.community || '–', incident.building ? `building ${incident.building}` : incident.publicArea,
    when(incident.firstOccurredAt), when(incident.lastOccurredAt), num(incident.size), num(incident.open),
  ]);
}

// ---- the board ---------------------------------------------------------------

// What the controls ask for; the range defaults to the 91 days to `today`.
function choices(today) {
  if (!$('to').value) $('to').value = today;
  if (!$('from').value) $('from').value = addDays($('to').value, -(DEFAULT_DAYS - 1));
  if ($('from').value > $('to').value) throw new Error('From must not be after To.');
  const horizon = Math.trunc(num($('horizon').value));
  if (!(horizon >= 1 && horizon <= MAX_HORIZON_DAYS)) throw new Error(`Days ahead: 1–${MAX_HORIZON_DAYS}.`);
  return {
    from: $('from').value, to: $('to').value, by: $('by').value, value: $('series').value,
    origin: $('origin').value, horizon,
  };
}

async function showProjection({ by, value, origin, horizon }) {
  const params = { interval: 'FIGURE_DIMENSION_DAY', horizon, origin };
  if (value) Object.assign(params, { dimension: `FIGURE_DIMENSION_${by}`, value });
  $('projection-title').textContent =
    `${value ? `${by.toLowerCase()} ${value}` : 'all complaints'}, from ${origin || 'today'}`;
  try {
    const projection = await api('projection', params);
    $('projection-note').textContent = projectionNote(projection);
    await drawProjection(projection);
  } catch (error) {
    if (error instanceof SignedOut) throw error;
    // Too little history is an answer, not a failure of the page.
    $('projection-note').textContent = `No projection: ${error.message}`;
    await draw('projection-chart', { xAxis: { type: 'category', data: [] }, yAxis: { type: 'value' }, series: [] });
  }
}

async function load() {
  $('status').textContent = 'Loading…';
  document.documentElement.dataset.state = 'loading';
  // Analytics' own today (the hot issues' default window ends on it) is
  // where the default range ends.
  const today = (await api('hot', { limit: 1 })).recentTo;
  const chosen = choices(today);
  const { from, to, by } = chosen;
  const [volume, weekly, communities, hot, incidents] = await Promise.all([
    api('figures', { group_by: ['FIGURE_DIMENSION_DAY', `FIGURE_DIMENSION_${by}`], from_day: from, to_day: to }),
    api('figures', { group_by: ['FIGURE_DIMENSION_WEEK'], from_day: from, to_day: to }),
    api('figures', { group_by: ['FIGURE_DIMENSION_COMMUNITY'], from_day: from, to_day: to }),
    api('hot', { limit: 5, day: to }),
    api('incidents', { open_only: true }),
  ]);
  document.documentElement.dataset.today = today;
  $('board').hidden = false;
  $('sign-in').hidden = true;
  $('sign-out').hidden = false;
  $('reload').hidden = false;
  fillHot(hot);
  $('community-range').textContent = `${from} – ${to}`;
  $('weekly-range').textContent = `${from} – ${to}`;
  fillCommunities(communities.rows ?? []);
  fillIncidents(incidents.incidents ?? []);
  const shown = drawVolume(from, to, by, volume.rows ?? []);
  const select = $('series');
  select.replaceChildren(new Option(`All complaints`, ''),
    ...shown.values.map((value) => new Option(value, value)));
  if (shown.values.includes(chosen.value)) select.value = chosen.value;
  await Promise.all([shown.drawn, drawWeekly(weekly.rows ?? []),
    showProjection({ ...chosen, value: select.value })]);
  $('status').textContent = `${from} – ${to} (today ${today})`;
  document.documentElement.dataset.state = 'ready';
}

async function run(step) {
  try {
    await step();
  } catch (error) {
    if (error instanceof SignedOut) return showSignIn(`Please sign in again: ${error.message}`);
    $('status').textContent = `Could not load: ${error.message}`;
    document.documentElement.dataset.state = 'error';
  }
}

window.addEventListener('resize', () => Object.values(charts).forEach((chart) => chart.resize()));
$('sign-in-form').addEventListener('submit', (event) => {
  event.preventDefault();
  sessionStorage.setItem(TOKEN_KEY, $('token').value.trim());
  $('token').value = '';
  run(load);
});
$('sign-out').addEventListener('click', () => showSignIn('Signed out.'));
$('reload').addEventListener('click', () => run(load));
$('controls').addEventListener('submit', (event) => {
  event.preventDefault();
  run(load);
});
// A new dimension lists its own values: the page reloads with "All" chosen.
$('by').addEventListener('change', () => { $('series').value = ''; run(load); });
$('series').addEventListener('change', () => run(async () => {
  document.documentElement.dataset.state = 'loading';
  await showProjection(choices(document.documentElement.dataset.today));
  document.documentElement.dataset.state = 'ready';
}));

// A link with a fresh token opened in a tab that shows the board already.
window.addEventListener('hashchange', () => { if (location.hash.includes('token=') && takeToken()) run(load); });

if (takeToken()) run(load); else showSignIn('Sign in with a token to see the figures.');
