// The dashboard in a real browser (Debian's Chromium, driven by
// playwright-core) against a running analytics: the page signs in with the
// token, loads without a console error, every chart and table holds exactly
// what the HTTP/JSON API answers, and a screenshot (kept in --out) shows the
// series drawn in the plot areas. Exits 1 with the reasons when anything
// differs.
//
//   node browser_test.mjs --url http://127.0.0.1:8084 --token ct1… --out DIR
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { PNG } from 'pngjs';

const { values: args } = parseArgs({
  options: {
    url: { type: 'string' },
    token: { type: 'string' },
    out: { type: 'string' },
    chromium: { type: 'string', default: '/usr/bin/chromium' },
  },
});
if (!args.url || !args.token || !args.out) {
  console.error('usage: node browser_test.mjs --url BASE --token TOKEN --out DIR');
  process.exit(2);
}
mkdirSync(args.out, { recursive: true });

const failures = [];
const check = (ok, what) => { if (!ok) failures.push(what); return ok; };
const num = (value) => Number(value ?? 0);
const same = (a, b) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

async function api(path, params) {
  const query = new URLSearchParams(params);
  const response = await fetch(`${args.url}/api/v1/${path}?${query}`, {
    headers: { Authorization: `Bearer ${args.token}` },
  });
  return { status: response.status, body: await response.json() };
}

function addDays(day, days) {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

// Share of the chart's plot area (inside its grid margins) drawn in a
// saturated colour: the series, not the grey axes, labels or white ground.
function colouredShare(png, grid = { left: 50, right: 20, top: 40, bottom: 30 }) {
  const image = PNG.sync.read(png);
  let coloured = 0;
  let total = 0;
  for (let y = grid.top + 2; y < image.height - grid.bottom - 2; ++y) {
    for (let x = grid.left + 2; x < image.width - grid.right - 2; ++x) {
      const i = 4 * (y * image.width + x);
      const [r, g, b] = [image.data[i], image.data[i + 1], image.data[i + 2]];
      // The lightest drawn colour, the 95 % band over white, is (220, 226, 244).
      coloured += Math.max(r, g, b) - Math.min(r, g, b) > 16 ? 1 : 0;
      ++total;
    }
  }
  return coloured / total;
}

const browser = await chromium.launch({
  executablePath: args.chromium,
  // The machine has no network beyond loopback: nothing in the background.
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const errors = [];
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => errors.push(`request failed: ${request.url()}`));
  const settled = () => page.waitForFunction(
    () => ['ready', 'error', 'signed-out'].includes(document.documentElement.dataset.state),
    null, { timeout: 60_000 });

  // Without a token the page asks for one and shows no figures.
  await page.goto(`${args.url}/dashboard/`);
  await settled();
  check(await page.evaluate(() => document.documentElement.dataset.state) === 'signed-out', 'without a token the page must ask to sign in');
  check(await page.isVisible('#sign-in') && !(await page.isVisible('#board')), 'sign-in shown, board hidden');

  // With the token in the address, as the bring-up prints it.
  await page.goto(`${args.url}/dashboard/#token=${encodeURIComponent(args.token)}`);
  await settled();
  const state = await page.evaluate(() => document.documentElement.dataset.state);
  check(state === 'ready', `the page must load (state ${state}: ${await page.textContent('#status')})`);
  if (state !== 'ready') {
    await page.screenshot({ path: join(args.out, 'dashboard.png'), fullPage: true });
    throw new Error(`the page did not load: ${errors.join('; ')}`);
  }
  check(!page.url().includes('token'), 'the token leaves the address bar');
  const today = await page.evaluate(() => document.documentElement.dataset.today);
  const option = (id) => page.evaluate((chartId) => {
    const { series, xAxis } = echarts.getInstanceByDom(document.getElementById(chartId)).getOption();
    return { x: xAxis[0].data, series: series.map(({ name, data }) => ({ name, data })) };
  }, id);
  const tableRows = (id) => page.$$eval(`#${id} tbody tr`, (rows) => rows.map((row) => [...row.cells].map((cell) => cell.textContent)));

  // Volumes: every API row is in the bar of its day and value (values beyond
  // the palette together as "other"), nothing else is drawn, and every
  // series has a colour of its own.
  const valueOf = {
    CATEGORY: (row) => row.category ?? '',
    DEPARTMENT: (row) => row.department ?? '',
    COMMUNITY: (row) => row.community ?? '',
    CHANNEL: (row) => (row.channel ?? '').replace(/^CHANNEL_/, '').toLowerCase(),
  };
  const checkVolume = async (from, to, by) => {
    const volume = await api('figures', { group_by: `FIGURE_DIMENSION_DAY,FIGURE_DIMENSION_${by}`, from_day: from, to_day: to });
    const drawn = await option('volume-chart');
    const colours = await page.evaluate(() => echarts.getInstanceByDom(document.getElementById('volume-chart'))
      .getOption().series.map((s) => s.color));
    check(new Set(colours).size === colours.length, `volume ${by}: ${colours.length} series, ${new Set(colours).size} colours`);
    check(drawn.x[0] === from && drawn.x[drawn.x.length - 1] === to, `volume ${by}: days ${drawn.x[0]} – ${drawn.x.at(-1)}, asked ${from} – ${to}`);
    const rows = volume.body.rows ?? [];
    const expected = new Map();
    let apiTotal = 0;
    for (const row of rows) {
      apiTotal += num(row.complaints);
      const value = valueOf[by](row) || '(none)';
      const name = drawn.series.some((s) => s.name === value) ? value : 'other';
      const key = `${row.day}|${name}`;
      expected.set(key, (expected.get(key) ?? 0) + num(row.complaints));
    }
    for (const [key, count] of expected) {
      const [day, name] = key.split('|');
      const series = drawn.series.find((s) => s.name === name);
      check(series && series.data[drawn.x.indexOf(day)] === count,
        `volume ${by} ${day} ${name}: API ${count}, chart ${series?.data[drawn.x.indexOf(day)]}`);
    }
    const chartTotal = drawn.series.reduce((sum, s) => sum + s.data.reduce((a, b) => a + b, 0), 0);
    check(rows.length > 0 && chartTotal === apiTotal, `volume ${by} totals: API ${apiTotal}, chart ${chartTotal}`);
    return { rows, apiTotal, drawn };
  };
  const from = addDays(today, -90);
  const { rows, apiTotal, drawn } = await checkVolume(from, today, 'CATEGORY');

  // The projection of all complaints: history, forecast and both bands.
  const checkProjection = async (params, label) => {
    const projection = await api('projection', { interval: 'FIGURE_DIMENSION_DAY', horizon: 28, ...params });
    if (!check(projection.status === 200, `${label}: projection answered ${projection.status} ${projection.body.message}`)) return;
    const { history = [], points = [] } = projection.body;
    const chart = await option('projection-chart');
    const named = (name) => chart.series.find((s) => s.name === name)?.data ?? [];
    const n = history.length;
    check(chart.x.length === n + points.length, `${label}: ${chart.x.length} periods drawn, API ${n + points.length}`);
    history.forEach((h, i) => check(named('actual')[i] === num(h.count), `${label}: actual ${h.period}`));
    points.forEach((p, i) => {
      const drawnActual = named('actual')[n + i];
      check(p.actual === undefined ? drawnActual === null || drawnActual === undefined || drawnActual === '-'
        : drawnActual === num(p.actual), `${label}: actual ${p.period}: chart ${drawnActual}, API ${p.actual}`);
      check(same(named('forecast')[n + i], num(p.forecast)), `${label}: forecast ${p.period}`);
      for (const [band, lower, upper] of [['80 % interval', p.lower80, p.upper80], ['95 % interval', p.lower95, p.upper95]]) {
        const low = named(`${band} lower`)[n + i];
        check(same(low, num(lower)) && same(low + named(band)[n + i], num(upper)), `${label}: ${band} ${p.period}`);
      }
    });
    const note = await page.textContent('#projection-note');
    const served = (projection.body.combined ?? []).length > 1
      ? `the median of ${projection.body.combined.join(', ')}` : projection.body.model;
    check(note.includes(`Forecast: ${served}.`), `${label}: the note names the forecast (${note})`);
    return points.length;
  };
  const projected = await checkProjection({}, 'all complaints');

  // Weekly deadline compliance and resolution percentiles over the range.
  const checkWeekly = async (from, to) => {
  const weekly = await api('figures', { group_by: 'FIGURE_DIMENSION_WEEK', from_day: from, to_day: to });
  const weeks = weekly.body.rows ?? [];
  // Compliance is on time ÷ (on time + overdue): weeks with neither have none.
  const resolvedWeeks = weeks.filter((row) => num(row.onTime) + num(row.overdue) > 0);
  const sla = await option('sla-chart');
  check(JSON.stringify(sla.x) === JSON.stringify(resolvedWeeks.map((row) => row.week)), 'compliance: weeks');
  resolvedWeeks.forEach((row, i) => check(same(sla.series[0].data[i], 100 * num(row.slaCompliance)),
    `compliance ${row.week}: chart ${sla.series[0].data[i]}, API ${100 * num(row.slaCompliance)} ` +
    `(${num(row.onTime)} on time, ${num(row.overdue)} overdue)`));
  const resolution = await option('resolution-chart');
  weeks.forEach((row, i) => {
    if (!num(row.resolved)) return;
    check(same(resolution.series[0].data[i], num(row.resolutionMinutesP50) / 60), `resolution p50 ${row.week}`);
    check(same(resolution.series[1].data[i], num(row.resolutionMinutesP90) / 60), `resolution p90 ${row.week}`);
  });
  return { weeks, resolvedWeeks };
  };
  const { weeks, resolvedWeeks } = await checkWeekly(from, today);

  // The tables: communities, hot issues, open incidents.
  const checkCommunities = async (from, to) => {
    const communities = (await api('figures', { group_by: 'FIGURE_DIMENSION_COMMUNITY', from_day: from, to_day: to })).body.rows ?? [];
    const communityCells = await tableRows('communities');
    check(communityCells.length === Math.max(1, communities.length), `communities ${from} – ${to}: ${communityCells.length} rows, API ${communities.length}`);
    communities.forEach((row, i) => check(communityCells[i]?.[0] === (row.community || '(none)') && communityCells[i]?.[1] === String(num(row.complaints)) &&
      communityCells[i]?.[4] === String(num(row.noTarget)), `community row ${i} (${from} – ${to})`));
    return communities;
  };
  const communities = await checkCommunities(from, today);
  const hot = (await api('hot', { limit: 5 })).body.issues ?? [];
  const hotCells = await tableRows('hot');
  check(hot.length === 0 ? hotCells[0]?.[0] === 'none' : hotCells.length === hot.length, `hot issues: ${hotCells.length} rows, API ${hot.length}`);
  hot.forEach((issue, i) => check(hotCells[i]?.[2] === issue.item && hotCells[i]?.[3] === String(num(issue.recent)), `hot row ${i}`));
  const incidents = (await api('incidents', { open_only: 'true' })).body.incidents ?? [];
  const incidentCells = await tableRows('incidents');
  check(incidents.length === 0 ? incidentCells[0]?.[0] === 'none' : incidentCells.length === incidents.length, `incidents: ${incidentCells.length} rows, API ${incidents.length}`);
  incidents.forEach((incident, i) => check(incidentCells[i]?.[0] === incident.category && incidentCells[i]?.[5] === String(num(incident.size)) && incidentCells[i]?.[6] === String(num(incident.open)), `incident row ${i}`));

  // What the analyst sees: the series drawn inside the plot areas.
  await page.screenshot({ path: join(args.out, 'dashboard.png'), fullPage: true });
  const shares = {};
  for (const id of ['volume-chart', 'projection-chart', 'resolution-chart']) {
    const png = await page.locator(`#${id}`).screenshot();
    writeFileSync(join(args.out, `${id}.png`), png);
    shares[id] = colouredShare(png);
  }
  check(shares['volume-chart'] > 0.005, `volume chart: ${(100 * shares['volume-chart']).toFixed(2)} % of its plot area drawn`);
  check(shares['projection-chart'] > 0.02, `projection chart: ${(100 * shares['projection-chart']).toFixed(2)} % of its plot area drawn`);
  check(resolvedWeeks.length === 0 || shares['resolution-chart'] > 0.001, `resolution chart: ${(100 * shares['resolution-chart']).toFixed(2)} % drawn`);

  // Another series: the largest category's projection replaces the chart.
  const category = drawn.series[0]?.name;
  if (category) {
    await page.selectOption('#series', category);
    await settled();
    await checkProjection({ dimension: 'FIGURE_DIMENSION_CATEGORY', value: category }, category);
  }

  // A past range, series by department, and a projection from a past origin
  // with what happened beside it: the charts equal the API's answers.
  const pastFrom = addDays(today, -125);
  const pastTo = addDays(today, -70);
  await page.fill('#from', pastFrom);
  await page.fill('#to', pastTo);
  await page.fill('#origin', addDays(today, -28));
  await page.fill('#horizon', '35');
  await page.selectOption('#by', 'DEPARTMENT');
  await settled();
  const pastState = await page.evaluate(() => document.documentElement.dataset.state);
  check(pastState === 'ready', `past range: state ${pastState}: ${await page.textContent('#status')}`);
  const past = await checkVolume(pastFrom, pastTo, 'DEPARTMENT');
  await checkWeekly(pastFrom, pastTo);
  await checkCommunities(pastFrom, pastTo);
  const pastProjected = await checkProjection({ origin: addDays(today, -28), horizon: 35 }, 'all complaints from a past origin');
  const department = past.drawn.series.map((s) => s.name).find((name) => name !== '(none)' && name !== 'other');
  if (check(department, `past range: a department is drawn (${past.drawn.series.map((s) => s.name)})`)) {
    await page.selectOption('#series', department);
    await settled();
    await checkProjection({ dimension: 'FIGURE_DIMENSION_DEPARTMENT', value: department, origin: addDays(today, -28), horizon: 35 },
      `department ${department} from a past origin`);
  }
  await page.screenshot({ path: join(args.out, 'dashboard-past.png'), fullPage: true });

  check(errors.length === 0, `no console errors: ${errors.join('; ')}`);
  console.log(`past range ${pastFrom} – ${pastTo}: ${past.rows.length} day×department cells ` +
    `(${past.apiTotal} complaints), ${pastProjected} days projected from a past origin`);
  console.log(`dashboard as of ${today}: ${rows.length} day×category cells (${apiTotal} complaints), ` +
    `${projected} projected days, ${weeks.length} weeks, ${communities.length} communities, ` +
    `${hot.length} hot issues, ${incidents.length} open incidents; plot areas drawn: ` +
    Object.entries(shares).map(([id, share]) => `${id} ${(100 * share).toFixed(1)} %`).join(', '));
} catch (error) {
  failures.push(error.message);
} finally {
  await browser.close();
}
if (failures.length) {
  console.error(`FAILED (${failures.length}):\n  ${failures.join('\n  ')}`);
  process.exit(1);
}
console.log('dashboard: every chart and table matches the API; screenshots in', args.out);
