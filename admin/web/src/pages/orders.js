import { html } from 'htm/preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { del, getCSRF, opID, post, put, query, stream } from '../api.js';
import { amount, datetime, duration, resources, short, toBig } from '../format.js';
import { Badge, Button, Card, Confirm, Empty, ErrorBox, Field, KV, Loading, Notice, Page, Spinner, Table, useData } from '../ui.js';
import { TxProgress, final } from '../tx.js';

function hashParams() {
  const q = location.hash.split('?')[1] || '';
  return new URLSearchParams(q);
}

const roleLabel = { buyer: 'bought', seller: 'sold', 'buyer+seller': 'bought & sold' };

export function stateOf(o) {
  return html`<${Badge} value=${o.state} />`;
}

const columns = [
  { label: '#', class: 'num', render: (o) => html`<a href=${'#/orders/' + o.id}>#${o.id}</a>` },
  { label: 'Side', render: (o) => html`<${Badge} value=${o.role} title=${roleLabel[o.role]} />` },
  { label: 'State', render: stateOf },
  { label: 'Provider', render: (o) => html`<span class="mono" title=${o.provider}>${short(o.provider)}</span>` },
  { label: 'Resources', render: (o) => html`<span class="small">${resources(o.resources)}</span>` },
  { label: 'Escrow', class: 'num', render: (o) => html`<span title=${o.escrow}>${amount(o.escrow)}</span>` },
  { label: 'Paid / refunded', class: 'num', render: (o) => (o.paid != null ? html`<span title=${o.paid + ' / ' + o.refund}>${amount(o.paid)} / ${amount(o.refund)}</span>` : html`<span class="muted">—</span>`) },
  { label: 'Runs', render: (o) => html`<span class="small">${datetime(o.start)}<br /><span class="muted">for ${duration(o.end - o.start)}</span></span>` },
];

export function Orders({ sess }) {
  const p = hashParams();
  const [role, setRole] = useState(p.get('role') || '');
  const [state, setState] = useState('');
  const { data, error, reload } = useData('orders' + query({ role, state, limit: 200 }), { interval: 5000 });
  const tab = (r, label) => html`<button class=${'tab' + (role === r ? ' active' : '')} data-tab=${r || 'all'} onClick=${() => setRole(r)}>${label}</button>`;
  return html`<${Page} title="Orders" subtitle="Orders this organization placed as buyer, and orders at its providers (sold)."
    actions=${sess.role === 'admin' && html`<a class="btn" id="new-order" href="#/orders/new">New order</a>`}>
    <div class="toolbar">
      <div class="tabs">${tab('', 'All')}${tab('buyer', 'Bought')}${tab('seller', 'Sold')}</div>
      <select aria-label="state" value=${state} onChange=${(e) => setState(e.target.value)}>
        <option value="">any state</option><option value="active">active</option><option value="ended">ended (to settle)</option>
        <option value="cancelled">cancelled</option><option value="settled">settled</option><option value="closed">closed by the provider</option></select>
    </div>
    <${ErrorBox} error=${error} retry=${reload} title="Orders could not be read" />
    ${!data && !error && html`<${Loading} />`}
    ${data && html`<${Card}><${Table} columns=${columns} rows=${data} rowKey=${(o) => o.id} onRow=${(o) => (location.hash = '#/orders/' + o.id)}
      empty=${html`<${Empty} title=${role === 'seller' ? 'Nothing sold yet' : role === 'buyer' ? 'Nothing bought yet' : 'No order yet'} icon="≡">
        ${role === 'seller' ? 'Orders placed at this organization\u2019s providers appear here.' : sess.role === 'admin' ? html`Find capacity in the directory and <a href="#/orders/new">place an order</a>.` : 'Orders appear here once an admin places one.'}<//>`} /><//>`}
  <//>`;
}

// ---- new order: match, choose, place ----

const reasonText = {
  withdrawn: 'withdrawn', expired: 'listing expired', insufficient_cpu: 'not enough CPU', insufficient_memory: 'not enough memory',
  insufficient_storage: 'not enough storage', insufficient_gpu: 'not enough GPUs', gpu_model_mismatch: 'other GPU model',
  region_mismatch: 'other region', label_mismatch: 'labels differ', price_above_max: 'above your max price',
};

function requestOf(f) {
  const labels = {};
  f.labels.split(',').map((s) => s.trim()).filter(Boolean).forEach((kv) => {
    const [k, ...v] = kv.split('=');
    labels[k.trim()] = v.join('=').trim();
  });
  const r = {
    resources: {
      cpuMillis: Math.round(Number(f.cpu || 0) * 1000),
      memoryBytes: Math.round(Number(f.memory || 0) * 1024 * 1024),
      storageBytes: Math.round(Number(f.storage || 0) * 1024 * 1024 * 1024),
      gpus: Number(f.gpus || 0),
    },
    duration: Math.round(Number(f.duration || 0) * { s: 1, min: 60, h: 3600, d: 86400 }[f.unit]),
  };
  if (Object.keys(labels).length) r.labels = labels;
  if (f.region.trim()) r.region = f.region.trim();
  if (f.maxPrice.trim()) r.maxPrice = f.maxPrice.trim();
  return r;
}

export function NewOrder() {
  const p = hashParams();
  const [f, setF] = useState({ cpu: '1', memory: '512', storage: '1', gpus: '0', duration: '1', unit: 'h', region: '', labels: '', maxPrice: '' });
  const [match, setMatch] = useState(null);
  const [matchErr, setMatchErr] = useState(null);
  const [chosen, setChosen] = useState(null);
  const [manifest, setManifest] = useState('');
  const [placing, setPlacing] = useState(null); // {body} while placing
  const [placed, setPlaced] = useState(null);
  const [placeErr, setPlaceErr] = useState(null);
  const want = p.get('provider');
  const set = (k) => (e) => setF({ ...f, [k]: e.target.value });

  const find = async () => {
    setMatchErr(null);
    setChosen(null);
    setPlaced(null);
    setPlaceErr(null);
    try {
      const m = await post('match', { ...requestOf(f), limit: 20 });
      setMatch(m);
      if (want) setChosen(m.candidates.find((c) => c.provider.toLowerCase() === want.toLowerCase()) || null);
    } catch (e) {
      setMatch(null);
      setMatchErr(e);
    }
  };
  const place = async (body) => {
    setPlaceErr(null);
    setPlacing({ body });
    try {
      const pl = await post('orders', body);
      setPlaced(pl);
      if (pl.order) setPlacing(null);
    } catch (e) {
      setPlaceErr(e);
      setPlacing(null);
    }
  };
  const submitOrder = () => place({ ...requestOf(f), manifestUrl: manifest.trim(), provider: chosen.provider, operation: opID('order') });

  return html`<${Page} title="New order" subtitle="Describe what you need, pick a provider from the scheduler's ranking, give the manifest URL, and the carrier places the order on chain.">
    <${Card} title="1 · What you need">
      <form class="filters" onSubmit=${(e) => { e.preventDefault(); find(); }}>
        <${Field} label="CPU (cores)"><input name="cpu" inputmode="decimal" value=${f.cpu} onInput=${set('cpu')} required /><//>
        <${Field} label="Memory (MiB)"><input name="memory" inputmode="numeric" value=${f.memory} onInput=${set('memory')} /><//>
        <${Field} label="Storage (GiB)"><input name="storage" inputmode="numeric" value=${f.storage} onInput=${set('storage')} /><//>
        <${Field} label="GPUs"><input name="gpus" inputmode="numeric" value=${f.gpus} onInput=${set('gpus')} /><//>
        <${Field} label="Duration"><div class="inline"><input name="duration" inputmode="numeric" value=${f.duration} onInput=${set('duration')} />
          <select name="unit" value=${f.unit} onChange=${set('unit')}><option value="s">seconds</option><option value="min">minutes</option><option value="h">hours</option><option value="d">days</option></select></div><//>
        <${Field} label="Region"><input name="region" value=${f.region} onInput=${set('region')} /><//>
        <${Field} label="Labels"><input name="labels" placeholder="tier=gold" value=${f.labels} onInput=${set('labels')} /><//>
        <${Field} label="Max price"><input name="max-price" inputmode="numeric" placeholder="total, base units" value=${f.maxPrice} onInput=${set('maxPrice')} /><//>
        <div class="filter-actions"><${Button} type="submit" id="find-providers" onClick=${find} busyLabel="Matching…">Find providers<//></div>
      </form>
    <//>
    <${ErrorBox} error=${matchErr} title="No ranking" retry=${find} />
    ${match && html`<${Card} title=${'2 · Candidates (' + match.matched + ' fit)'}>
      <${Table} rows=${match.candidates} rowKey=${(c) => c.provider} rowClass=${(c) => (chosen && chosen.provider === c.provider ? 'chosen' : '')}
        columns=${[
          { label: 'Provider', render: (c) => html`<span class="mono" title=${c.provider}>${short(c.provider)}</span>` },
          { label: 'Org', render: (c) => c.org },
          { label: 'Region', render: (c) => c.region || '—' },
          { label: 'Rate /s', class: 'num', render: (c) => amount(c.rate) },
          { label: 'Escrow for ' + duration(requestOf(f).duration), class: 'num', render: (c) => html`<strong>${amount(c.cost)}</strong>` },
          { label: '', render: (c) => html`<button class=${'btn small' + (chosen && chosen.provider === c.provider ? '' : ' ghost')} data-choose=${c.provider.toLowerCase()}
              onClick=${() => setChosen(c)}>${chosen && chosen.provider === c.provider ? 'Chosen' : 'Choose'}</button>` },
        ]}
        empty=${html`<${Empty} title="No provider fits" icon="⌕">See below why each was left out; ask for less, or raise the max price.<//>`} />
      ${match.excluded && match.excluded.length > 0 && html`<details class="excluded" open=${match.candidates.length === 0}>
        <summary>${match.excluded.length} left out: ${Object.entries(match.excludedByReason || {}).map(([r, n]) => html`<span class="tag">${reasonText[r] || r} ×${n}</span>`)}</summary>
        <ul>${match.excluded.map((x) => html`<li><span class="mono" title=${x.provider}>${short(x.provider)}</span> <span class="muted">(${x.org})</span>: ${x.reasons.map((r) => reasonText[r] || r).join(', ')}</li>`)}</ul>
      </details>`}
    <//>`}
    ${chosen && html`<${Card} title="3 · Manifest and order">
      <p>Provider <span class="mono">${chosen.provider}</span> (${chosen.org}) escrows <strong title=${chosen.cost}>${amount(chosen.cost)}</strong> base units
        for ${duration(requestOf(f).duration)}; unused time is refunded on cancel.</p>
      <form onSubmit=${(e) => { e.preventDefault(); submitOrder(); }}>
        <${Field} label="Manifest URL" hint="a Kubernetes YAML the carrier fetches and hashes into the order; the gateway deploys only what matches that hash">
          <input name="manifest-url" type="url" placeholder="https://…/app.yaml" value=${manifest} onInput=${(e) => setManifest(e.target.value)} required /><//>
        <div class="form-actions top-gap"><${Button} type="submit" id="place-order" disabled=${!manifest.trim() || placing || (placed && placed.order)} onClick=${submitOrder} busyLabel="Placing…">Place order<//></div>
      </form>
    <//>`}
    ${placing && !placed && html`<div class="alert info progress-note"><${Spinner} /><div><strong>Placing the order…</strong>
      <p>The carrier fetches and hashes the manifest, checks the provider's price on chain and your credit, sends createOrder and waits for it to be mined (up to 30 s).</p></div></div>`}
    <${ErrorBox} error=${placeErr} title="The order was not placed" />
    ${placed && !placed.order && html`<${Card} title="Waiting for the order to be mined">
      <${TxProgress} txKey=${placed.intent.key} initial=${placed.intent} label="createOrder"
        onFinal=${(st) => (st.state === 'confirmed' ? place(placing.body) : (setPlaceErr({ message: 'createOrder failed: ' + (st.reason || st.lastError), code: 'failed' }), setPlacing(null)))} /><//>`}
    ${placed && placed.order && html`<div class="alert ok" id="order-placed"><div><strong>Order #${placed.order.id} placed.</strong>
      <p>Escrow ${amount(placed.order.escrow)} · manifest ${placed.manifest ? short(placed.manifest.hash) + ' (' + placed.manifest.size + ' bytes)' : ''} ·
        tx <span class="mono">${short(placed.intent.hash)}</span></p>
      <p><a class="btn small" href=${'#/orders/' + placed.order.id}>Open order #${placed.order.id}</a></p></div></div>`}
  <//>`;
}

// ---- one order ----

const phaseTone = { Ready: 'ok', Pending: 'warn', Progressing: 'warn', Failed: 'bad', Deleting: 'muted' };

function gatewayItems(d) {
  return [
    ['Gateway', d.gateway ? html`${d.gateway.url ? html`<span class="mono clip" title=${d.gateway.url}>${d.gateway.url}</span>` : ''}
      ${d.gateway.instances ? html` <span class="muted">(${d.gateway.instances} in this org's Consul)</span>` : ''}
      ${d.gateway.source ? html` <span class="muted small">from the ${d.gateway.source}</span>` : ''}` : '—'],
  ];
}

// Deployment is an order's deployment at the provider's gateway. For an
// order we bought, admin drives it with a gateway session the carrier
// opens with the org wallet; for one we sold, the buyer deploys.
function Deployment({ id, isAdmin, closed }) {
  const { data: d, error, reload } = useData('orders/' + id + '/deployment', { interval: closed ? 0 : 4000 });
  if (error && !d) return html`<${ErrorBox} error=${error} retry=${reload} title="Deployment status unavailable" />`;
  if (!d) return html`<${Loading} />`;
  if (d.side === 'seller') {
    return html`<div class="deployment" data-available="false" data-side="seller">
      <${Notice} title="Sold: the buyer deploys">${d.reason}<//>
      <${KV} items=${gatewayItems(d)} /></div>`;
  }
  if (!d.available) {
    const over = closed || ['ended', 'cancelled', 'settled', 'closed'].includes(d.state);
    return html`<div class="deployment" data-available="false" data-side="buyer">
      ${over ? html`<${Notice} title="Nothing deployed">${d.reason}<//>`
        : html`<${Notice} tone="warn" title="Gateway not available">${d.reason}${d.reasonCode && html` <span class="tag">${d.reasonCode}</span>`}
          <p><button class="btn small ghost" onClick=${reload}>Try again</button></p><//>`}
      <${KV} items=${gatewayItems(d)} /></div>`;
  }
  const st = d.status || {};
  return html`<div class="deployment" data-available="true" data-side="buyer" data-deployed=${String(d.deployed)}>
    <${KV} items=${[
      ...gatewayItems(d),
      ['Phase', d.deployed ? html`<span id="deployment-phase" data-phase=${st.phase}><${Badge} value=${st.phase} tone=${phaseTone[st.phase]} /></span>
        ${st.message && html` <span class="muted small">${st.message}</span>`}` : html`<span id="deployment-phase" data-phase="none" class="muted">nothing deployed yet</span>`],
      d.deployed && ['Namespace', html`<span class="mono">${st.namespace}</span>`],
      d.deployed && ['Manifest', html`<span class="mono clip" title=${st.manifest}>${short(st.manifest)}</span>`],
      d.deployed && ['Entrypoint', st.entrypoint ? html`<span class="mono">${st.entrypoint}</span>` : '—'],
      ['Session', html`<span class="small">at the gateway until ${datetime(d.sessionExpires)}, opened by the carrier with the org wallet</span>`],
    ]} />
    ${d.deployed && st.objects && st.objects.length > 0 && html`<${Table} rows=${st.objects} rowKey=${(o) => o.kind + '/' + o.name}
      columns=${[
        { label: 'Object', render: (o) => html`<span class="mono">${o.kind}/${o.name}</span>` },
        { label: 'Ready', render: (o) => (o.ready ? html`<span class="ok-text">ready</span>` : o.failed ? html`<span class="bad-text">failed</span>` : html`<span class="muted">not yet</span>`) },
        { label: '', render: (o) => html`<span class="small muted">${o.message || ''}</span>` },
      ]} />`}
    ${d.statusError && html`<${ErrorBox} error=${d.statusError} title="The gateway could not say how the deployment is" />`}
    ${isAdmin && html`<${DeployControls} id=${id} d=${d} onChange=${reload} />`}
    ${d.deployed && html`<${Events} id=${id} />`}
    ${d.deployed && html`<${Logs} id=${id} />`}
  </div>`;
}

function DeployControls({ id, d, onChange }) {
  const [url, setUrl] = useState('');
  const [err, setErr] = useState(null);
  const [done, setDone] = useState(null);
  const [ask, setAsk] = useState(false);
  const deploy = async () => {
    setErr(null);
    setDone(null);
    try {
      const st = await put('orders/' + id + '/deployment', { manifestUrl: url.trim() });
      setDone('Applied into namespace ' + st.namespace + '. The phase above follows it to Ready.');
      onChange();
    } catch (x) {
      setErr(x);
    }
  };
  const remove = async () => {
    setErr(null);
    try {
      await del('orders/' + id + '/deployment');
      setAsk(false);
      setDone('Deletion started: the namespace and everything in it go.');
      onChange();
    } catch (x) {
      setAsk(false);
      setErr(x);
    }
  };
  return html`<div class="deploy-controls">
    <form class="inline" onSubmit=${(e) => { e.preventDefault(); deploy(); }}>
      <input id="deploy-manifest-url" name="deploy-manifest-url" type="url" required placeholder="manifest URL (its keccak256 must be the order's manifest hash)"
        value=${url} onInput=${(e) => setUrl(e.target.value)} />
      <${Button} type="submit" id="deploy" onClick=${deploy} disabled=${!url.trim()} busyLabel="Deploying…">${d.deployed ? 'Deploy again' : 'Deploy'}<//>
    </form>
    <div class="inline top-gap">
      <form method="post" action=${'api/orders/' + id + '/open-app'} target="_blank" id="open-app-form">
        <input type="hidden" name="csrf" value=${getCSRF()} />
        <button class=${'btn ghost' + (d.deployed ? '' : ' disabled')} type="submit" id="open-app" disabled=${!d.deployed}
          title="opens the app in a new tab with the order's gateway session">Open app ↗</button>
      </form>
      ${d.deployed && html`<button class="btn danger" id="delete-deployment" onClick=${() => setAsk(true)}>Delete deployment</button>`}
    </div>
    ${done && html`<${Notice} tone="ok">${done}<//>`}
    <${ErrorBox} error=${err} title="The gateway refused" />
    ${ask && html`<${Confirm} title=${'Delete the deployment of order #' + id + '?'} danger confirmLabel="Delete"
      body=${html`<p>The provider's gateway deletes the order's namespace and everything in it. The order stays paid; you can deploy again while it runs.</p>`}
      onConfirm=${remove} onCancel=${() => setAsk(false)} />`}
  </div>`;
}

function Events({ id }) {
  const { data, error } = useData('orders/' + id + '/deployment/events', { interval: 5000 });
  const rows = data && data.events ? data.events.slice(-50).reverse() : [];
  return html`<div class="events" id="events"><h3>Events</h3>
    ${error && html`<p class="muted small">${error.message}</p>`}
    ${data && html`<${Table} rows=${rows}
      columns=${[
        { label: 'When', render: (e) => html`<span class="small">${datetime(e.time)}</span>` },
        { label: 'Type', render: (e) => html`<${Badge} value=${e.type} tone=${e.type === 'Warning' ? 'warn' : 'muted'} />` },
        { label: 'Object', render: (e) => html`<span class="mono small">${e.object}</span>` },
        { label: 'Reason', render: (e) => e.reason },
        { label: 'Message', render: (e) => html`<span class="small">${e.message}${e.count > 1 ? ' (×' + e.count + ')' : ''}</span>` },
      ]}
      empty=${html`<p class="none">No events yet.</p>`} />`}
  </div>`;
}

// Logs follows a container's log through admin (which bounds it) and keeps
// the last lines on screen.
const LOG_KEEP = 200000;

function Logs({ id }) {
  const [text, setText] = useState('');
  const [running, setRunning] = useState(false);
  const [err, setErr] = useState(null);
  const [pod, setPod] = useState('');
  const [container, setContainer] = useState('');
  const ctl = useRef(null);
  useEffect(() => () => ctl.current && ctl.current.abort(), []);
  const follow = async () => {
    if (ctl.current) ctl.current.abort();
    const ac = new AbortController();
    ctl.current = ac;
    setErr(null);
    setText('');
    setRunning(true);
    try {
      await stream('orders/' + id + '/deployment/logs' + query({ follow: 1, tail: 200, pod: pod.trim(), container: container.trim() }),
        (chunk) => setText((t) => (t + chunk).slice(-LOG_KEEP)), { signal: ac.signal });
    } catch (x) {
      setErr(x);
    } finally {
      if (ctl.current === ac) {
        ctl.current = null;
        setRunning(false);
      }
    }
  };
  const stop = () => {
    if (ctl.current) ctl.current.abort();
  };
  return html`<div class="logs" id="logs"><h3>Logs</h3>
    <div class="inline">
      <input name="log-pod" placeholder="pod (when there are several)" value=${pod} onInput=${(e) => setPod(e.target.value)} />
      <input name="log-container" placeholder="container" value=${container} onInput=${(e) => setContainer(e.target.value)} />
      ${running ? html`<button class="btn ghost" id="stop-logs" onClick=${stop}>Stop</button>`
        : html`<button class="btn ghost" id="follow-logs" onClick=${follow}>Follow logs</button>`}
    </div>
    <${ErrorBox} error=${err} title="No log" />
    ${(text || running) && html`<pre class="log-view" aria-live="polite">${text || 'waiting for lines…'}</pre>`}
  </div>`;
}

const closedTitle = { cancelled: 'Cancelled and settled', settled: 'Settled', closed: 'Closed by the provider and settled' };
const units = { min: 60, h: 3600, d: 86400 };

// actions are what an admin may do with an order: the buyer extends,
// updates the manifest or cancels; the seller (the order's payee) closes.
// Each is a transaction the carrier journals and checks first.
const actions = {
  extend: { label: 'Extend', title: 'Extending', failed: 'Not extended' },
  manifest: { label: 'Update manifest', title: 'Updating the manifest', failed: 'Manifest not updated' },
  cancel: { label: 'Cancel order', title: 'Cancelling', failed: 'Not cancelled' },
  close: { label: 'Close order', title: 'Closing', failed: 'Not closed' },
};

export function OrderDetail({ sess, id }) {
  const { data: o, error, reload } = useData('orders/' + id, { interval: 5000 });
  const [ask, setAsk] = useState(null); // the action being confirmed
  const [actErr, setActErr] = useState(null);
  const [intent, setIntent] = useState(null);
  const [done, setDone] = useState(null);
  const [ext, setExt] = useState({ n: '1', unit: 'h' });
  const [manifestUrl, setManifestUrl] = useState('');
  const isAdmin = sess.role === 'admin';
  useEffect(() => {
    setIntent(null);
    setDone(null);
  }, [id]);
  const run = async (kind) => {
    setActErr(null);
    setDone(null);
    try {
      let ans;
      if (kind === 'extend') {
        ans = await post('orders/' + id + '/extend', { duration: Math.round(Number(ext.n) * units[ext.unit]), operation: opID('extend') });
      } else if (kind === 'manifest') {
        ans = await post('orders/' + id + '/manifest', { manifestUrl: manifestUrl.trim(), operation: opID('manifest') });
      } else {
        ans = await post('orders/' + id + '/' + kind);
      }
      setAsk(null);
      setIntent({ kind, st: ans.intent || ans });
      if (ans.rollout) setDone({ kind, rollout: ans.rollout });
      reload();
    } catch (e) {
      setAsk(null);
      setActErr({ kind, e });
    }
  };
  if (!o && error) return html`<${Page} title=${'Order #' + id}><${ErrorBox} error=${error} retry=${reload} /><//>`;
  if (!o) return html`<${Page} title=${'Order #' + id}><${Loading} /><//>`;
  const buyer = o.role === 'buyer' || o.role === 'buyer+seller';
  const seller = o.role === 'seller' || o.role === 'buyer+seller';
  const closed = o.state in closedTitle;
  const escrow = toBig(o.escrow);
  const paid = toBig(o.paid);
  const bp = escrow > 0n ? Number((paid * 10000n) / escrow) : 0; // basis points
  const pct = bp >= 100 ? (bp / 100).toFixed(0) : bp > 0 ? (bp / 100).toFixed(2) : paid > 0n ? '< 0.01' : '0';
  const idle = isAdmin && o.state === 'active' && !(intent && !final(intent.st));
  const btn = (kind, cls) => html`<button class=${'btn ' + cls} id=${kind + '-order'} onClick=${() => setAsk(kind)}>${actions[kind].label}</button>`;
  const extSeconds = Math.round(Number(ext.n) * units[ext.unit]);
  const rate = o.end > o.start ? escrow / BigInt(o.end - o.start) : 0n;
  const confirm = {
    extend: { label: 'Extend', body: html`<p>The order runs longer at its rate; the Market escrows rate × time from the credit.</p>
      <div class="inline"><input name="extend-by" inputmode="decimal" aria-label="extend by" value=${ext.n} onInput=${(e) => setExt({ ...ext, n: e.target.value })} />
        <select name="extend-unit" aria-label="unit" value=${ext.unit} onChange=${(e) => setExt({ ...ext, unit: e.target.value })}>
          <option value="min">minutes</option><option value="h">hours</option><option value="d">days</option></select></div>
      ${extSeconds > 0 && html`<p class="muted small">adds ${duration(extSeconds)} for about <strong>${amount((rate * BigInt(extSeconds)).toString())}</strong></p>`}` },
    manifest: { label: 'Update manifest', body: html`<p>The order's manifest hash on chain becomes the new manifest's; once mined, the carrier deploys it at the order's gateway.</p>
      <input name="update-manifest-url" type="url" required placeholder="https://…/app.yaml" value=${manifestUrl} onInput=${(e) => setManifestUrl(e.target.value)} />` },
    cancel: { label: 'Cancel order', danger: true, body: html`<p>The Market pays the provider for the seconds used so far and refunds the rest of the escrow (${amount(o.escrow)}) in the same transaction. This cannot be undone.</p>` },
    close: { label: 'Close order', danger: true, body: html`<p>As the order's payee, this organization ends it now: the Market pays it for the seconds served and refunds the buyer the rest of the escrow (${amount(o.escrow)}). The buyer's deployment stops. This cannot be undone.</p>` },
  };
  return html`<${Page} title=${html`Order #${o.id} ${stateOf(o)}`} subtitle=${roleLabel[o.role] + ' · provider ' + o.provider}
    actions=${html`<a class="btn ghost" href="#/orders">All orders</a>
      ${idle && buyer && btn('extend', 'ghost')}${idle && buyer && btn('manifest', 'ghost')}
      ${idle && buyer && btn('cancel', 'danger')}${idle && seller && btn('close', 'danger')}`}>
    ${actErr && html`<${ErrorBox} error=${actErr.e} title=${actions[actErr.kind].failed} />`}
    ${intent && !final(intent.st) && html`<${Card} title=${actions[intent.kind].title}><${TxProgress} txKey=${intent.st.key} initial=${intent.st} label=${intent.st.key} onFinal=${reload} /><//>`}
    ${done && done.rollout && (done.rollout.error
      ? html`<${Notice} tone="warn" title="Updated on chain, not rolled out">${done.rollout.error}. Deploy it again below once the gateway can take it.<//>`
      : html`<${Notice} tone="ok" title="Manifest updated">Deployed at the order's gateway into ${done.rollout.namespace}, phase ${done.rollout.phase}.<//>`)}
    ${closed && html`<div class="alert ok settlement" id="settlement"><div><strong>${closedTitle[o.state]}</strong>
      <p>Paid to the provider: <strong title=${o.paid}>${amount(o.paid)}</strong> (${pct}% of the escrow) · refunded to the buyer: <strong title=${o.refund}>${amount(o.refund)}</strong></p>
      ${o.closedTx && html`<p class="muted small">tx <span class="mono">${o.closedTx}</span>${o.batch ? ' · settlement batch #' + o.batch : ''}</p>`}</div></div>`}
    ${o.state === 'ended' && html`<${Notice} tone="warn" title="Ended, waiting for settlement">The provider's carrier settles ended orders in batches; the payment and refund show here once it has.<//>`}
    <div class="grid2">
      <${Card} title="Order">
        <${KV} items=${[
          ['Buyer', html`<span class="mono">${o.buyer}</span>`],
          ['Provider', html`<span class="mono">${o.provider}</span>`],
          ['Payee', html`<span class="mono">${o.payee}</span>`],
          ['Resources', resources(o.resources)],
          ['Escrow', html`<span id="order-escrow" title=${o.escrow}>${amount(o.escrow)}</span>`],
          o.maxEscrow && ['Max price', html`<span id="order-max-escrow" title=${o.maxEscrow}>${amount(o.maxEscrow)}</span> <span class="muted small">the most the Market let it cost</span>`],
          ['Start', datetime(o.start)],
          ['End', html`<span id="order-end">${datetime(o.end) + ' (' + duration(o.end - o.start) + ')'}</span>${o.extensions ? html` <span class="muted small">extended ${o.extensions}×</span>` : ''}`],
          ['Manifest hash', html`<span class="mono clip" id="order-manifest-hash" title=${o.manifestHash}>${o.manifestHash}</span>${o.manifestUpdates ? html` <span class="muted small">updated ${o.manifestUpdates}×</span>` : ''}`],
          ['Created in', html`<span class="mono clip" title=${o.createdTx}>${short(o.createdTx)}</span>`],
        ]} />
      <//>
    </div>
    <${Card} title="Deployment" id="deployment-card"><${Deployment} key=${o.state + o.manifestHash} id=${id} isAdmin=${isAdmin} closed=${closed} /><//>
    ${ask && html`<${Confirm} title=${actions[ask].label + ' #' + o.id + '?'} danger=${confirm[ask].danger} confirmLabel=${confirm[ask].label}
      body=${confirm[ask].body} onConfirm=${() => run(ask)} onCancel=${() => setAsk(null)} />`}
  <//>`;
}
