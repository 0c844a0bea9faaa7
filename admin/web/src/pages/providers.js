import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { post } from '../api.js';
import { ago, amount, bytes, cpu, short } from '../format.js';
import { Badge, Button, Card, Confirm, Dot, Empty, ErrorBox, KV, Loading, Notice, Page, useData } from '../ui.js';
import { TxProgress, final } from '../tx.js';

const stateHelp = {
  registered: 'in the Registry with the terms the carrier is configured with',
  outdated: 'in the Registry, with terms that differ from the configured ones: the carrier updates it',
  unregistered: 'not in the Registry yet',
  pending: 'a registration transaction is on its way',
  taken: 'registered on chain by another account: the carrier cannot register it',
  deregistered: 'removed by an operator; not registered again until asked',
};

function Prices({ p }) {
  if (!p) return '—';
  return html`<span class="small">cpu-milli ${amount(p.cpuMilli)} · MiB ${amount(p.memoryMiB)} · GiB ${amount(p.storageGiB)} · GPU ${amount(p.gpu)} <span class="muted">per second</span></span>`;
}

function ProviderCard({ p, isAdmin, reload }) {
  const c = p.carrier || {};
  const l = p.listing;
  const [ask, setAsk] = useState(null);
  const [err, setErr] = useState(null);
  const [intent, setIntent] = useState(null);
  const act = async (what) => {
    setErr(null);
    try {
      const res = await post('providers/' + p.provider + '/' + what);
      const st = what === 'deregister' ? res : res.intent;
      if (st && st.key && !final(st)) setIntent(st);
      setAsk(null);
      reload();
    } catch (e) {
      setErr(e);
      setAsk(null);
    }
  };
  const pending = c.intent && !final(c.intent) ? c.intent : intent;
  return html`<div class="card provider" data-provider=${p.provider.toLowerCase()}>
    <div class="card-head"><h2><span class="mono">${p.provider}</span></h2>
      <div class="card-actions">${c.state && html`<${Badge} value=${c.state} title=${stateHelp[c.state]} />`}
        ${isAdmin && c.state && c.state !== 'deregistered' && c.state !== 'taken' &&
          html`<button class="btn small danger" onClick=${() => setAsk('deregister')}>Deregister</button>`}
        ${isAdmin && c.state === 'deregistered' && html`<${Button} small onClick=${() => act('register')} busyLabel="Registering…">Register again<//>`}
      </div></div>
    <div class="card-body">
      ${c.state && html`<p class="muted small">${stateHelp[c.state] || ''}</p>`}
      ${c.problem && html`<${Notice} tone="warn" title="Registration problem">${c.problem}<//>`}
      <${ErrorBox} error=${err} />
      ${pending && html`<${TxProgress} txKey=${pending.key} initial=${pending} label=${pending.key} onFinal=${() => { setIntent(null); reload(); }} />`}
      <div class="grid3">
        <div><h3>Gateways in Consul</h3>
          ${p.gateways.length === 0 ? html`<p class="none">No gateway of this provider is registered.</p>`
            : html`<ul class="instances">${p.gateways.map((g) => html`<li title=${g.output || g.status}><${Dot} status=${g.status} /><span class="mono">${g.address}:${g.port}</span><span class="muted"> ${g.status}</span></li>`)}</ul>`}</div>
        <div><h3>On chain (Registry)</h3>
          ${c.onChain ? html`<${KV} items=${[
            ['Gateway URL', c.onChain.url],
            ['Region', c.onChain.region || '—'],
            ['Capacity', `${cpu(c.onChain.capacity.cpuMillis)} · ${bytes(c.onChain.capacity.memoryBytes)} · ${bytes(c.onChain.capacity.storageBytes)} disk${c.onChain.capacity.gpus ? ' · ' + c.onChain.capacity.gpus + ' GPU' : ''}`],
            ['Prices', html`<${Prices} p=${c.onChain.prices} />`],
            ['Owner', c.owner && html`<span class="mono" title=${c.owner}>${short(c.owner)}</span>`],
          ]} />` : html`<p class="none">${p.carrier ? 'Not registered.' : 'The carrier did not say (see above).'}</p>`}</div>
        <div><h3>Listing in the directory</h3>
          ${l ? html`<${KV} items=${[
            ['Free', `${cpu(l.free.cpuMillis)} · ${bytes(l.free.memoryBytes)} · ${bytes(l.free.storageBytes)} disk`],
            ['Total', `${cpu(l.total.cpuMillis)} · ${bytes(l.total.memoryBytes)}`],
            ['Prices', html`<${Prices} p=${l.prices} />`],
            ['Sequence', l.seq],
            ['Issued', ago(l.issuedAt)],
            ['Expires', ago(l.expires)],
            l.tombstone && ['Withdrawn', html`<${Badge} value="withdrawn" tone="muted" />`],
          ]} />` : html`<p class="none">No listing held${p.listingError && !/no .*record|not found/i.test(p.listingError) ? ': ' + p.listingError : ''}. The provider's gateway signs and publishes it.</p>`}</div>
      </div>
    </div>
    ${ask && html`<${Confirm} title="Deregister this provider?" danger confirmLabel="Deregister"
      body=${html`<p>The carrier removes <span class="mono">${short(p.provider)}</span> from the Registry with the org wallet. Buyers can no longer order from it, and it is not registered again until you ask.</p>`}
      onConfirm=${() => act('deregister')} onCancel=${() => setAsk(null)} />`}
  </div>`;
}

export function Providers({ sess }) {
  const { data, error, reload } = useData('providers', { interval: 10000 });
  const isAdmin = sess.role === 'admin';
  return html`<${Page} title="Providers" subtitle="This organization's gateways (one provider key each), their registration in the Registry, and their listings.">
    <${ErrorBox} error=${error} retry=${reload} />
    ${!data && !error && html`<${Loading} />`}
    ${data && data.carrierError && html`<${Notice} tone="warn" title="The carrier's view is missing">${data.carrierError}<//>`}
    ${data && data.consulError && html`<${Notice} tone="warn" title="Consul could not be read">${data.consulError}<//>`}
    ${data && data.providers.length === 0 && html`<${Card}><${Empty} title="No provider" icon="▦">No gateway of this organization is registered in Consul, so it sells nothing. Start a gateway with its provider key; the carrier registers it in the Registry.<//><//>`}
    ${data && data.providers.map((p) => html`<${ProviderCard} key=${p.provider} p=${p} isAdmin=${isAdmin} reload=${reload} />`)}
  <//>`;
}
