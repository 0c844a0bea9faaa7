import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { api, post, query } from '../api.js';
import { ago, amount, datetime, short } from '../format.js';
import { Badge, Button, Card, Confirm, Copy, Empty, ErrorBox, Field, KV, Loading, Notice, Page, Table, useData } from '../ui.js';

function OrgProfile({ data, isAdmin, reload }) {
  const [f, setF] = useState(null);
  const [err, setErr] = useState(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    const s = data.settings;
    setF({ orgName: s.orgName, chainRpc: s.chainRpc, token: s.contracts.token, registry: s.contracts.registry, market: s.contracts.market });
  }, [data]);
  if (!f) return null;
  const set = (k) => (e) => {
    setSaved(false);
    setF({ ...f, [k]: e.target.value });
  };
  const save = async () => {
    setErr(null);
    try {
      await api('PUT', 'settings', { orgName: f.orgName, chainRpc: f.chainRpc, contracts: { token: f.token, registry: f.registry, market: f.market } });
      setSaved(true);
      reload();
    } catch (e) {
      setErr(e);
    }
  };
  const ro = !isAdmin;
  return html`<${Card} title="Organization profile" id="org-profile">
    <p class="muted small">Organization id <strong>${data.org}</strong> (fixed by each daemon's --org). These settings live in Consul KV under
      <code>gridnode/${data.org}/settings/</code>; every carrier follows them at once.</p>
    ${data.settingsError && html`<${ErrorBox} error=${{ message: data.settingsError }} title="Settings could not be read" />`}
    <form class="form-grid two" onSubmit=${(e) => { e.preventDefault(); save(); }}>
      <${Field} label="Display name"><input name="org-name" value=${f.orgName} onInput=${set('orgName')} readOnly=${ro} /><//>
      <${Field} label="Chain RPC" hint=${ro ? 'shown to admins only' : 'http(s) or ws(s) JSON-RPC endpoint'}><input name="chain-rpc" value=${f.chainRpc} onInput=${set('chainRpc')} readOnly=${ro} /><//>
      <${Field} label="Token contract"><input class="mono" name="token" value=${f.token} onInput=${set('token')} readOnly=${ro} /><//>
      <${Field} label="Registry contract"><input class="mono" name="registry" value=${f.registry} onInput=${set('registry')} readOnly=${ro} /><//>
      <${Field} label="Market contract"><input class="mono" name="market" value=${f.market} onInput=${set('market')} readOnly=${ro} /><//>
      ${isAdmin && html`<div class="form-actions"><${Button} type="submit" id="save-settings" onClick=${save} busyLabel="Saving…">Save settings<//>
        ${saved && html`<span class="ok-text">Saved. The carriers pick the change up now.</span>`}</div>`}
    </form>
    <${ErrorBox} error=${err} title="Settings not saved" />
  <//>`;
}

function Peers({ part }) {
  if (part.error) return html`<${Card} title="Bootstrap peers"><${ErrorBox} error=${{ message: part.error, code: part.code }} title="The carrier's peers could not be read" /><//>`;
  const p = part.data;
  return html`<${Card} title="Bootstrap peers">
    <p class="muted small">Give other organizations one of these addresses for their carrier's <code>--p2p-bootstrap</code>. This carrier's own
      bootstrap peers are set with the same flag (restart to change).</p>
    ${(p.self.addrs || []).length === 0 ? html`<p class="none">The carrier listens on no address yet.</p>`
      : html`<ul class="addrs">${p.self.addrs.map((a) => html`<li><code>${a}</code> <${Copy} value=${a} /></li>`)}</ul>`}
    <h3>Connected (${p.peers.length})</h3>
    ${p.peers.length === 0 ? html`<p class="none">No peer connected.</p>`
      : html`<ul class="peers">${p.peers.map((x) => html`<li><span class="dot ok"></span><span class="mono" title=${x.id}>${short(x.id)}</span>
          <span class="mono small muted">${(x.addrs || [])[0] || ''}</span>
          <span class="small muted">${[x.direction, x.latency, x.listings ? 'gets listings' : ''].filter(Boolean).join(' · ')}</span></li>`)}</ul>`}
  <//>`;
}

function Prices({ part }) {
  if (part.error) return html`<${Card} title="Prices"><${ErrorBox} error=${{ message: part.error, code: part.code }} title="The providers' prices could not be read" /><//>`;
  const list = part.data || [];
  return html`<${Card} title="Prices">
    <p class="muted small">Unit prices per second in token base units, as registered on chain. The carrier registers what its
      <code>--price-cpu-milli</code>, <code>--price-memory-mib</code>, <code>--price-storage-gib</code> and <code>--price-gpu</code> flags say, and updates the Registry when they change (at its next start).</p>
    <${Table} rows=${list} rowKey=${(p) => p.provider}
      columns=${[
        { label: 'Provider', render: (p) => html`<span class="mono" title=${p.provider}>${short(p.provider)}</span>` },
        { label: 'State', render: (p) => html`<${Badge} value=${p.state} />` },
        { label: 'CPU milli', class: 'num', render: (p) => (p.onChain ? amount(p.onChain.prices.cpuMilli) : '—') },
        { label: 'MiB', class: 'num', render: (p) => (p.onChain ? amount(p.onChain.prices.memoryMiB) : '—') },
        { label: 'GiB', class: 'num', render: (p) => (p.onChain ? amount(p.onChain.prices.storageGiB) : '—') },
        { label: 'GPU', class: 'num', render: (p) => (p.onChain ? amount(p.onChain.prices.gpu) : '—') },
      ]}
      empty=${html`<${Empty} title="No provider" icon="▦">This organization sells nothing: it has no gateway registered.<//>`} />
  <//>`;
}

function Accounts({ me }) {
  const { data, error, reload } = useData('accounts');
  const [f, setF] = useState({ name: '', role: 'viewer', password: '' });
  const [err, setErr] = useState(null);
  const [msg, setMsg] = useState(null);
  const [ask, setAsk] = useState(null);
  const run = async (fn, ok) => {
    setErr(null);
    setMsg(null);
    try {
      await fn();
      setMsg(ok);
      reload();
    } catch (e) {
      setErr(e);
    }
  };
  const create = () => run(async () => {
    await post('accounts', { name: f.name.trim(), role: f.role, password: f.password });
    setF({ name: '', role: 'viewer', password: '' });
  }, `Account ${f.name.trim()} created. Give its owner the temporary password; they must choose their own at the first sign-in.`);
  return html`<${Card} title="Operator accounts" id="accounts">
    <${ErrorBox} error=${error} retry=${reload} />
    ${msg && html`<div class="alert ok"><div>${msg}</div></div>`}
    <${ErrorBox} error=${err} title="Not done" />
    ${data && html`<${Table} rows=${data} rowKey=${(a) => a.name} columns=${[
      { label: 'Name', render: (a) => html`<strong>${a.name}</strong>${a.name === me ? html` <span class="muted">(you)</span>` : ''}` },
      { label: 'Role', render: (a) => html`<${Badge} value=${a.role} />` },
      { label: 'Status', render: (a) => html`${a.locked ? html`<${Badge} value="locked" title=${'until ' + a.lockedUntil} />` : ''}
        ${a.mustChange ? html`<${Badge} value="must change password" tone="warn" />` : ''}${!a.locked && !a.mustChange ? html`<${Badge} value="ok" />` : ''}` },
      { label: 'Last sign-in', render: (a) => (a.lastLogin ? ago(a.lastLogin) : 'never') },
      { label: 'Sessions', class: 'num', render: (a) => a.sessions },
      { label: '', render: (a) => html`<div class="row-actions">
        <select aria-label=${'role of ' + a.name} value=${a.role} onChange=${(e) => run(() => api('PATCH', 'accounts/' + a.name, { role: e.target.value }), `${a.name} is now ${e.target.value}; their sessions were signed out.`)}>
          <option value="admin">admin</option><option value="viewer">viewer</option></select>
        ${a.locked && html`<button class="btn tiny ghost" onClick=${() => run(() => api('PATCH', 'accounts/' + a.name, { unlock: true }), a.name + ' unlocked.')}>Unlock</button>`}
        <button class="btn tiny ghost" onClick=${() => setAsk({ kind: 'reset', a })}>Reset password</button>
        ${a.name !== me && html`<button class="btn tiny danger" onClick=${() => setAsk({ kind: 'delete', a })}>Delete</button>`}</div>` },
    ]} />`}
    <form class="inline-form" onSubmit=${(e) => { e.preventDefault(); create(); }}>
      <h3>New account</h3>
      <${Field} label="Name" hint="a-z, 0-9, . _ -"><input name="account-name" value=${f.name} onInput=${(e) => setF({ ...f, name: e.target.value })} required /><//>
      <${Field} label="Role"><select name="account-role" value=${f.role} onChange=${(e) => setF({ ...f, role: e.target.value })}><option value="viewer">viewer: sees, changes nothing</option><option value="admin">admin: may do everything</option></select><//>
      <${Field} label="Temporary password" hint="12+ characters; changed at first sign-in"><input name="account-password" type="password" autocomplete="new-password" value=${f.password} onInput=${(e) => setF({ ...f, password: e.target.value })} required /><//>
      <div class="form-actions"><${Button} type="submit" id="create-account" onClick=${create} busyLabel="Creating…">Create account<//></div>
    </form>
    ${ask && ask.kind === 'delete' && html`<${Confirm} title=${'Delete ' + ask.a.name + '?'} danger confirmLabel="Delete account"
      body=${html`<p>The account is removed and its sessions are signed out on every console replica.</p>`}
      onConfirm=${() => { setAsk(null); return run(() => api('DELETE', 'accounts/' + ask.a.name), ask.a.name + ' deleted.'); }} onCancel=${() => setAsk(null)} />`}
    ${ask && ask.kind === 'reset' && html`<${ResetPassword} a=${ask.a} onDone=${(pw) => { setAsk(null); return run(() => api('PATCH', 'accounts/' + ask.a.name, { password: pw }), `${ask.a.name}'s password was reset; they must change it at the next sign-in.`); }} onCancel=${() => setAsk(null)} />`}
  <//>`;
}

function ResetPassword({ a, onDone, onCancel }) {
  const [pw, setPw] = useState('');
  return html`<${Confirm} title=${'Reset ' + a.name + '\u2019s password'} confirmLabel="Reset" onConfirm=${() => onDone(pw)} onCancel=${onCancel}
    body=${html`<p>Set a temporary password (12+ characters). ${a.name}'s sessions are signed out, and the next sign-in asks for a new password.</p>
      <input type="password" autocomplete="new-password" value=${pw} onInput=${(e) => setPw(e.target.value)} aria-label="temporary password" />`} />`;
}

// when is a compact time: the clock today, the date otherwise.
function when(t) {
  const d = new Date(t);
  const today = new Date().toDateString() === d.toDateString();
  return today ? d.toLocaleTimeString() : datetime(t);
}

function Audit() {
  const [filter, setFilter] = useState({ result: '', q: '' });
  const [before, setBefore] = useState(0);
  const { data, error, reload } = useData('audit' + query({ limit: 50, result: filter.result, q: filter.q, before: before || '' }), { interval: 10000 });
  return html`<${Card} title="Audit log" id="audit" actions=${html`<input placeholder="filter action or target" aria-label="filter" value=${filter.q} onInput=${(e) => { setBefore(0); setFilter({ ...filter, q: e.target.value }); }} />
      <select aria-label="result" value=${filter.result} onChange=${(e) => { setBefore(0); setFilter({ ...filter, result: e.target.value }); }}>
        <option value="">all results</option><option value="ok">ok</option><option value="denied">denied</option><option value="failed">failed</option></select>`}>
    <${ErrorBox} error=${error} retry=${reload} />
    ${!data && !error && html`<${Loading} />`}
    ${data && html`<p class="muted small">Every change made through the console, refused attempts included; ${data.held} of at most ${data.max} entries kept (shared by all replicas).</p>
      <${Table} rows=${data.entries} rowKey=${(e) => e.seq} columns=${[
        { label: '#', class: 'num', render: (e) => e.seq },
        { label: 'When', class: 'nowrap', render: (e) => html`<span class="small" title=${e.time}>${when(e.time)}</span>` },
        { label: 'Who', render: (e) => html`<strong>${e.actor}</strong>${e.role ? html` <span class="muted small">${e.role}</span>` : ''}<div class="muted small">${e.ip}</div>` },
        { label: 'What', class: 'nowrap', render: (e) => html`<span class="mono small">${e.action}</span>${e.target ? html`<div class="small">${e.target}</div>` : ''}` },
        { label: 'Detail', render: (e) => Object.entries(e.detail || {}).map(([k, v]) => html`<span class="tag">${k}=${v}</span>`) },
        { label: 'Result', render: (e) => html`<${Badge} value=${e.result} /> <span class="muted small">${e.status}</span>${e.message ? html`<div class="small muted clip" title=${e.message}>${e.message}</div>` : ''}` },
      ]} empty=${html`<${Empty} title="No entry" icon="✎">Nothing matches the filter.<//>`} />
      <div class="pager">
        <button class="btn small ghost" disabled=${!before} onClick=${() => setBefore(0)}>Newest</button>
        <button class="btn small ghost" disabled=${!data.next} onClick=${() => setBefore(data.next)}>Older</button></div>`}
  <//>`;
}

export function Settings({ sess }) {
  const { data, error, reload } = useData('settings');
  const isAdmin = sess.role === 'admin';
  return html`<${Page} title="Settings" subtitle=${isAdmin ? 'The organization, its network and its operators.' : 'The organization and its network (read-only: accounts and the audit log are for admins).'}>
    <${ErrorBox} error=${error} retry=${reload} />
    ${!data && !error && html`<${Loading} />`}
    ${data && html`<${OrgProfile} data=${data} isAdmin=${isAdmin} reload=${reload} />
      <div class="grid2"><${Peers} part=${data.peers} /><${Prices} part=${data.providers} /></div>`}
    ${isAdmin && html`<${Accounts} me=${sess.user} /><${Audit} />`}
    ${!isAdmin && html`<${Notice} title="Operator accounts">Only admins manage accounts and read the audit log. You can change your own password from the top bar.<//>`}
  <//>`;
}
