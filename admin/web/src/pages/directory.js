import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { query } from '../api.js';
import { ago, amount, bytes, cpu, duration, short } from '../format.js';
import { Badge, Card, Empty, ErrorBox, Field, Loading, Page, Table, useData } from '../ui.js';

const blank = { cpu: '', memory: '', storage: '', gpus: '', gpuModel: '', region: '', labels: '', duration: '1h', maxPrice: '', sort: 'price' };

// toQuery turns the form into the carrier's search parameters.
export function searchParams(f) {
  const labels = f.labels.split(',').map((s) => s.trim()).filter(Boolean);
  return {
    'cpu-millis': f.cpu ? Math.round(Number(f.cpu) * 1000) : '',
    memory: f.memory.trim(),
    storage: f.storage.trim(),
    gpus: f.gpus,
    'gpu-model': f.gpuModel.trim(),
    region: f.region.trim(),
    label: labels,
    duration: f.duration.trim(),
    'max-price': f.maxPrice.trim(),
    sort: f.sort,
  };
}

function durationSeconds(s) {
  const m = /^(\d+)(s|m|h|d)?$/.exec(String(s || '').trim());
  if (!m) return 0;
  return Number(m[1]) * ({ s: 1, m: 60, h: 3600, d: 86400 }[m[2] || 's']);
}

export function Directory({ sess }) {
  const [form, setForm] = useState(blank);
  const [applied, setApplied] = useState(blank);
  const [offset, setOffset] = useState(0);
  const limit = 50;
  const path = 'listings' + query({ ...searchParams(applied), offset, limit });
  const { data, error, loading, reload } = useData(path);
  const set = (k) => (e) => setForm({ ...form, [k]: e.target.value });
  const search = (e) => {
    e.preventDefault();
    setOffset(0);
    setApplied(form);
  };
  const filtered = Object.entries(applied).some(([k, v]) => v !== blank[k]);
  const secs = durationSeconds(applied.duration);
  const cols = [
    { label: 'Provider', render: (l) => html`<div class="mono" title=${l.provider} data-listing=${l.provider.toLowerCase()}>${short(l.provider)}</div><div class="muted small clip url" title=${l.gatewayUrl}>${l.gatewayUrl || ''}</div>` },
    { label: 'Org', render: (l) => html`<${Badge} value=${l.org} tone=${l.org === sess.org ? 'accent' : 'accent2'} />` },
    { label: 'Region', render: (l) => l.region || html`<span class="muted">—</span>` },
    { label: 'Free', class: 'nowrap', render: (l) => html`<div>${cpu(l.free.cpuMillis)} · ${bytes(l.free.memoryBytes)}</div><div class="muted small">${bytes(l.free.storageBytes)} disk${l.free.gpus ? ' · ' + l.free.gpus + ' GPU ' + (l.free.gpuModel || '') : ''}</div>` },
    { label: 'Unit prices /s', class: 'nowrap', render: (l) => html`<div class="small">cpu-milli ${amount(l.prices.cpuMilli)} · MiB ${amount(l.prices.memoryMiB)}</div><div class="small muted">GiB ${amount(l.prices.storageGiB)} · GPU ${amount(l.prices.gpu)}</div>` },
    { label: secs ? 'Cost for ' + duration(secs) : 'Cost /s', class: 'num', render: (l) => html`<strong title=${l.cost}>${amount(l.cost)}</strong><div class="muted small" title=${l.rate}>${amount(l.rate)} /s</div>` },
    { label: 'Labels', render: (l) => Object.entries(l.labels || {}).map(([k, v]) => html`<span class="tag">${k}=${v}</span>`) },
    { label: 'Fresh', class: 'nowrap', render: (l) => html`<span title=${'issued ' + l.issuedAt + ', expires ' + l.expires}>${ago(l.issuedAt)}</span>` },
  ];
  if (sess.role === 'admin') {
    cols.push({ label: '', render: (l) => html`<a class="btn tiny" href=${'#/orders/new?provider=' + l.provider}>Order…</a>` });
  }
  return html`<${Page} title="Network directory" subtitle="Every organization's signed listings, as this carrier holds them. The price is for the request you describe.">
    <${Card}>
      <form class="filters" onSubmit=${search}>
        <${Field} label="CPU (cores)"><input name="cpu" inputmode="decimal" placeholder="e.g. 2" value=${form.cpu} onInput=${set('cpu')} /><//>
        <${Field} label="Memory"><input name="memory" placeholder="e.g. 4Gi" value=${form.memory} onInput=${set('memory')} /><//>
        <${Field} label="Storage"><input name="storage" placeholder="e.g. 20Gi" value=${form.storage} onInput=${set('storage')} /><//>
        <${Field} label="GPUs"><input name="gpus" inputmode="numeric" placeholder="0" value=${form.gpus} onInput=${set('gpus')} /><//>
        <${Field} label="GPU model"><input name="gpu-model" value=${form.gpuModel} onInput=${set('gpuModel')} /><//>
        <${Field} label="Region"><input name="region" value=${form.region} onInput=${set('region')} /><//>
        <${Field} label="Labels"><input name="labels" placeholder="tier=gold, zone=a" value=${form.labels} onInput=${set('labels')} /><//>
        <${Field} label="Duration"><input name="duration" placeholder="1h" value=${form.duration} onInput=${set('duration')} /><//>
        <${Field} label="Max price"><input name="max-price" inputmode="numeric" placeholder="base units" value=${form.maxPrice} onInput=${set('maxPrice')} /><//>
        <${Field} label="Sort"><select name="sort" value=${form.sort} onChange=${set('sort')}><option value="price">cheapest</option><option value="freshness">freshest</option></select><//>
        <div class="filter-actions"><button class="btn" type="submit" id="search">Search</button>
          <button class="btn ghost" type="button" onClick=${() => { setForm(blank); setApplied(blank); setOffset(0); }}>Clear</button></div>
      </form>
    <//>
    <${ErrorBox} error=${error} retry=${reload} title="The directory could not be searched" />
    ${!data && loading && html`<${Loading} label="Searching…" />`}
    ${data && html`<${Card} title=${data.total + ' listing' + (data.total === 1 ? '' : 's') + (filtered ? ' match' + (data.total === 1 ? 'es' : '') : '')}
        actions=${loading && html`<span class="muted small">refreshing…</span>`}>
      <${Table} columns=${cols} rows=${data.listings} rowKey=${(l) => l.provider}
        empty=${filtered
          ? html`<${Empty} title="No listing matches" icon="⌕">Loosen the request: less capacity, another region, fewer labels or a higher max price.<//>`
          : html`<${Empty} title="The directory is empty" icon="◌">No organization has published a listing that this carrier holds. Listings arrive over libp2p from connected peers.<//>`} />
      ${data.total > limit && html`<div class="pager">
        <button class="btn small ghost" disabled=${offset === 0} onClick=${() => setOffset(Math.max(0, offset - limit))}>Previous</button>
        <span class="muted">${offset + 1}–${Math.min(offset + limit, data.total)} of ${data.total}</span>
        <button class="btn small ghost" disabled=${offset + limit >= data.total} onClick=${() => setOffset(offset + limit)}>Next</button></div>`}
    <//>`}
  <//>`;
}
