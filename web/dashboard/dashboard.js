// The analysts' dashboard: every figure comes from analytics' HTTP/JSON API
// (protobuf's JSON mapping: int64 as strings, zero values left out), asked
// with the analyst's sign-in token. No personal data exists in these answers.
// Text from the API reaches the page only as textContent, and the charts'
// tooltips are drawn on the canvas (renderMode richText), never as HTML.
// When every chart has drawn, <html data-state="ready"> (or "error").
'use strict';

const TOKEN_KEY = 'complaints.token';
const VOLUME_DAYS = 91;  // the volume chart and the community table
const TREND_WEEKS = 12;  // deadline compliance and resolution time
const HORIZON_DAYS = 28;

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

function drawVolume(today, rows) {
  const from = addDays(today, -(VOLUME_DAYS - 1));
  $('volume-range').textContent = `${from} – ${today}`;
  const totals = new Map();
  const byKey = new Map();
  for (const row of rows) {
    totals.set(row.category, (totals.get(row.category) ?? 0) + num(row.complaints));
    byKey.set(`${row.day}|${row.category}`, num(row.complaints));
  }
  const categories = [...totals.keys()].sort((a, b) => totals.get(b) - totals.get(a) || a.localeCompare(b));
  const first = rows.length ? rows.map((row) => row.day).sort()[0] : today;
  const days = daysFrom(first, today);
  const series = categories.map((category) => ({
    name: category,
    type: 'bar',
    stack: 'complaints',
    data: days.map((day) => byKey.get(`${day}|${category}`) ?? 0),
  }));
  return {
    categories,
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
      ...band('95 % interval', lower95, points.map((p) => num(p.upper95)), 'rgba(84,112,198,0.18)'),
      ...band('80 % interval', lower80, points.map((p) => num(p.upper80)), 'rgba(84,112,198,0.32)'),
      { name: 'actual', type: 'line', data: actual, symbol: 'none', color: '#243b53' },
      { name: 'forecast', type: 'line', data: pad(points.map((p) => num(p.forecast)), n),
        symbol: 'none', color: '#d64545', lineStyle: { type: 'dashed' } },
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
      series: [{ name: 'on time (%)', type: 'bar', color: '#3ebd93',
        data: resolved.map((row) => 100 * num(row.slaCompliance)) }],
    }),
    draw('resolution-chart', {
      xAxis: { type: 'category', data: weeks },
      yAxis: { type: 'value', min: 0 },
      series: [
        { name: 'median', type: 'line', color: '#2680c2',
          data: rows.map((row) => (num(row.resolved) ? num(row.resolutionMinutesP50) / 60 : null)) },
        { name: '90th percentile', type: 'line', color: '#f0b429',
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

async function showProjection(value) {
  const params = { interval: 'FIGURE_DIMENSION_DAY', horizon: HORIZON_DAYS };
  if (value) Object.assign(params, { dimension: 'FIGURE_DIMENSION_CATEGORY', value });
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
  // The recent window of the hot issues ends on analytics' own today, the
  // day every other range here counts back from.
  const hot = await api('hot', { limit: 5 });
  const today = hot.recentTo;
  const from = addDays(today, -(VOLUME_DAYS - 1));
  const [volume, weekly, communities, incidents] = await Promise.all([
    api('figures', { group_by: ['FIGURE_DIMENSION_DAY', 'FIGURE_DIMENSION_CATEGORY'], from_day: from, to_day: today }),
    api('figures', { group_by: ['FIGURE_DIMENSION_WEEK'], from_day: addDays(today, -7 * TREND_WEEKS), to_day: today }),
    api('figures', { group_by: ['FIGURE_DIMENSION_COMMUNITY'], from_day: from, to_day: today }),
    api('incidents', { open_only: true }),
  ]);
  document.documentElement.dataset.today = today;
  $('board').hidden = false;
  $('sign-in').hidden = true;
  $('sign-out').hidden = false;
  $('reload').hidden = false;
  fillHot(hot);
  $('community-range').textContent = `${from} – ${today}`;
  fillCommunities(communities.rows ?? []);
  fillIncidents(incidents.incidents ?? []);
  const shown = drawVolume(today, volume.rows ?? []);
  const select = $('series');
  const chosen = select.value;
  select.replaceChildren(new Option('All complaints', ''),
    ...shown.categories.map((category) => new Option(category, category)));
  if (shown.categories.includes(chosen)) select.value = chosen;
  await Promise.all([shown.drawn, drawWeekly(weekly.rows ?? []), showProjection(select.value)]);
  $('status').textContent = `As of ${today}`;
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
$('series').addEventListener('change', () => run(async () => {
  document.documentElement.dataset.state = 'loading';
  await showProjection($('series').value);
  document.documentElement.dataset.state = 'ready';
}));

// A link with a fresh token opened in a tab that shows the board already.
window.addEventListener('hashchange', () => { if (location.hash.includes('token=') && takeToken()) run(load); });

if (takeToken()) run(load); else showSignIn('Sign in with a token to see the figures.');
