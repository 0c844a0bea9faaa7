import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { amount, datetime, toBig } from '../format.js';
import { Badge, Card, Empty, ErrorBox, Loading, Notice, Page, Stat, Table, useData } from '../ui.js';

// Chart draws the running totals of earned and spent over time as an SVG.
const bucketMs = { minute: 60e3, hour: 3600e3, day: 86400e3 };

// withEnds adds a zero point one bucket before the first and carries the
// last totals to now, so that the running totals read as steps over time.
function withEnds(points, bucket) {
  if (!points.length) return points;
  const first = new Date(points[0].time).getTime() - (bucketMs[bucket] || 3600e3);
  const last = points[points.length - 1];
  const out = [{ time: new Date(first).toISOString(), totalEarned: '0', totalSpent: '0', earned: '0', spent: '0', edge: true }, ...points];
  const now = Date.now();
  if (now > new Date(last.time).getTime()) out.push({ ...last, time: new Date(now).toISOString(), earned: '0', spent: '0', edge: true });
  return out;
}

export function Chart({ points: real, bucket }) {
  const points = withEnds(real || [], bucket);
  const W = 1000;
  const H = 250;
  const pad = { l: 64, r: 16, t: 16, b: 32 };
  if (points.length === 0) return null;
  const t0 = new Date(points[0].time).getTime();
  const t1 = new Date(points[points.length - 1].time).getTime();
  const span = Math.max(1, t1 - t0);
  let maxV = 1n;
  for (const p of points) {
    for (const v of [toBig(p.totalEarned), toBig(p.totalSpent)]) if (v > maxV) maxV = v;
  }
  const x = (t) => pad.l + (points.length === 1 ? (W - pad.l - pad.r) / 2 : ((new Date(t).getTime() - t0) / span) * (W - pad.l - pad.r));
  const y = (v) => H - pad.b - Number((toBig(v) * 1000n) / maxV) / 1000 * (H - pad.t - pad.b);
  const line = (key) => points.map((p, i) => (i ? 'L' : 'M') + x(p.time).toFixed(1) + ',' + y(p[key]).toFixed(1)).join(' ');
  const step = (key) => {
    let d = '';
    let prev = null;
    points.forEach((p, i) => {
      const px = x(p.time).toFixed(1);
      if (i === 0) d += 'M' + px + ',' + y('0').toFixed(1) + ' L' + px + ',' + y(p[key]).toFixed(1);
      else d += ' L' + px + ',' + y(prev).toFixed(1) + ' L' + px + ',' + y(p[key]).toFixed(1);
      prev = p[key];
    });
    return d;
  };
  const ticks = [0n, maxV / 2n, maxV];
  return html`<svg class="chart" viewBox=${`0 0 ${W} ${H}`} role="img" aria-label="earned and spent over time">
    ${ticks.map((v) => html`<g><line x1=${pad.l} x2=${W - pad.r} y1=${y(v.toString())} y2=${y(v.toString())} class="grid" />
      <text x=${pad.l - 8} y=${y(v.toString()) + 4} class="axis" text-anchor="end">${amount(v.toString())}</text></g>`)}
    <text x=${pad.l} y=${H - 8} class="axis">${datetime(points[0].time)}</text>
    ${points.length > 1 && html`<text x=${W - pad.r} y=${H - 8} class="axis" text-anchor="end">${datetime(points[points.length - 1].time)}</text>`}
    <path d=${step('totalSpent')} class="series spent" />
    <path d=${step('totalEarned')} class="series earned" />
    ${real.map((p) => html`<circle cx=${x(p.time)} cy=${y(p.totalEarned)} r="3.5" class="pt earned"><title>${datetime(p.time)}: earned ${p.earned} (total ${p.totalEarned})</title></circle>`)}
    ${real.map((p) => html`<circle cx=${x(p.time)} cy=${y(p.totalSpent)} r="3.5" class="pt spent"><title>${datetime(p.time)}: spent ${p.spent} (total ${p.totalSpent})</title></circle>`)}
  </svg>
  <div class="legend"><span class="sw earned"></span> earned as provider (running total) <span class="sw spent"></span> spent as buyer</div>`;
}

export function Settlements() {
  const [bucket, setBucket] = useState('hour');
  const s = useData('settlements', { interval: 10000 });
  const e = useData('earnings?bucket=' + bucket, { interval: 10000 });
  const d = s.data;
  return html`<${Page} title="Settlements & earnings" subtitle="What this organization earned as provider and paid as buyer; the carrier settles ended orders in batches, exactly once.">
    <${ErrorBox} error=${s.error} retry=${s.reload} title="Settlement state could not be read" />
    ${d && html`<div class="stats">
      <${Stat} label="Earned" value=${amount(d.earned)} title=${d.earned} hint="paid by closed orders" tone="ok" />
      <${Stat} label="Pending" value=${amount(d.pending)} title=${d.pending} hint="escrow of open orders" />
      <${Stat} label="Due" value=${d.due.length} hint=${d.due.length ? 'ended, to settle: #' + d.due.join(', #') : 'nothing to settle'} tone=${d.due.length ? 'warn' : ''} />
      <${Stat} label="Events applied" value=${'#' + d.cursor} hint=${'chain head #' + d.head} />
    </div>`}
    <${Card} title="Over time" actions=${html`<select aria-label="bucket" value=${bucket} onChange=${(ev) => setBucket(ev.target.value)}>
        <option value="minute">per minute</option><option value="hour">per hour</option><option value="day">per day</option></select>`}>
      <${ErrorBox} error=${e.error} retry=${e.reload} title="Earnings could not be computed" />
      ${!e.data && !e.error && html`<${Loading} />`}
      ${e.data && e.data.points.length === 0 && html`<${Empty} title="Nothing settled yet" icon="∑">The chart fills in as orders close: cancelled orders pay for the time used, ended ones in full.<//>`}
      ${e.data && e.data.points.length > 0 && html`<div id="earnings-chart"><${Chart} points=${e.data.points} bucket=${e.data.bucket} /></div>
        <p class="muted small">${e.data.orders} closed order${e.data.orders === 1 ? '' : 's'}: earned <strong>${amount(e.data.earned)}</strong>, spent <strong>${amount(e.data.spent)}</strong>${e.data.truncated ? ' (the newest 1000 orders only)' : ''}.</p>`}
    <//>
    <${Card} title="Settlement batches">
      ${d && d.orders && Object.keys(d.orders).length > 0 && html`<p class="small">Orders at our providers: ${Object.entries(d.orders).map(([k, v]) => html`<${Badge} value=${k} /> ${v} `)}</p>`}
      ${d && html`<${Table} rows=${d.batches} rowKey=${(b) => b.seq}
        columns=${[
          { label: 'Batch', class: 'num', render: (b) => '#' + b.seq },
          { label: 'Orders', render: (b) => b.ids.map((id) => html`<a href=${'#/orders/' + id}>#${id}</a> `) },
          { label: 'Created', render: (b) => datetime(b.created) },
          { label: 'Result', render: (b) => html`<${Badge} value=${b.done ? (String(b.result).startsWith('confirmed') ? 'confirmed' : 'failed') : 'pending'} title=${b.result} /> <span class="small muted">${b.result}</span>` },
          { label: 'Settled', class: 'num', render: (b) => b.settled },
          { label: 'Gas', class: 'num', render: (b) => b.gasUsed || '—' },
        ]}
        empty=${html`<${Empty} title="No settlement batch yet" icon="∑">Ended orders at this organization's providers are settled in batches; cancelled ones settle at once and need none.<//>`} />`}
      ${!d && s.error && html`<${Notice} tone="warn">Batches show once the carrier answers.<//>`}
    <//>
  <//>`;
}
