import { html } from 'htm/preact';
import { ago, datetime, pluralize, short } from '../format.js';
import { Badge, Card, Dot, Empty, ErrorBox, KV, Loading, Notice, Page, Stat, useData } from '../ui.js';

const roleInfo = {
  carrier: 'scheduler, libp2p peer, chain mediator — exactly one is active',
  admin: 'this console',
  gateway: 'one per provider cluster: order check, deploy, reverse proxy',
  via: 'the public edge: routes and relays',
};

function PartError({ part, what }) {
  if (!part || !part.error) return null;
  return html`<p class="part-error"><span class="dot bad"></span>${what}: ${part.error}</p>`;
}

function Services({ services }) {
  return html`<div class="services">${services.map(
    (s) => html`<div class="service" data-service=${s.name}>
      <div class="service-head"><h3>${s.name}</h3><span class=${'count ' + (s.passing > 0 ? 'ok' : s.instances.length ? 'bad' : 'muted')}>
        ${s.passing}/${s.instances.length} passing</span></div>
      <p class="muted small">${roleInfo[s.name]}</p>
      ${s.error && html`<p class="part-error"><span class="dot bad"></span>${s.error}</p>`}
      ${s.instances.length === 0 && !s.error
        ? html`<p class="none">No instance registered${s.name === 'gateway' ? ': this organization sells nothing yet' : ''}.</p>`
        : html`<ul class="instances">${s.instances.map(
            (i) => html`<li title=${i.output || i.status}><${Dot} status=${i.status} /><span class="mono">${i.address}:${i.port}</span>
              ${i.provider && html`<span class="muted mono" title=${i.provider}> ${short(i.provider)}</span>`}
              ${i.version && html`<span class="muted"> · ${i.version}</span>`}
              ${i.status !== 'passing' && i.output && html`<div class="muted small clip">${i.output}</div>`}</li>`,
          )}</ul>`}
    </div>`,
  )}</div>`;
}

export function Overview() {
  const { data: o, error, reload } = useData('overview', { interval: 5000 });
  if (!o && error) return html`<${Page} title="Overview"><${ErrorBox} error=${error} retry=${reload} /><//>`;
  if (!o) return html`<${Page} title="Overview"><${Loading} /><//>`;
  const st = o.status.data || {};
  const chain = o.chain.data || {};
  const head = o.head.data;
  const peers = o.peers.data;
  const dir = o.directory.data;
  return html`<${Page} title="Overview" subtitle=${'Organization ' + (o.orgName ? o.orgName + ' (' + o.org + ')' : o.org) + ' — refreshed every 5 s'}>
    ${error && html`<${ErrorBox} error=${error} title="Refresh failed; showing the last data" retry=${reload} />`}
    <div class="stats">
      <${Stat} label="Carrier" value=${st.state ? html`<${Badge} value=${st.state} />` : '—'} hint=${o.carrier.data ? o.carrier.data.id : o.carrier.error} tone=${st.state === 'active' ? 'ok' : 'warn'} />
      <${Stat} label="Chain head" value=${head ? '#' + head.number : '—'} hint=${head ? 'block ' + ago(head.time) + ' · chain ' + head.chainId : o.head.error} tone=${head ? 'ok' : 'bad'} />
      <${Stat} label="Peers" value=${peers ? peers.peers.length : '—'} hint=${peers ? 'connected organizations\u2019 carriers' : o.peers.error} />
      <${Stat} label="Directory" value=${dir ? dir.listings : '—'} hint=${dir ? pluralize(dir.listings, 'live listing') + ' in the network' : o.directory.error} />
    </div>
    <${Card} title="Services in Consul"><${Services} services=${o.services} /><//>
    <div class="grid2">
      <${Card} title="Chain">
        <${PartError} part=${o.chain} what="carrier chain status" />
        <${PartError} part=${o.head} what="chain head" />
        ${o.chain.data && !chain.running && html`<${Notice} tone="warn" title="No chain mediator runs">${chain.problem || (chain.enabled ? 'waiting' : 'the carrier runs without --keystore: no wallet, no chain')}<//>`}
        <${KV} items=${[
          ['Mediator', chain.running ? html`<${Badge} value="running" />` : html`<${Badge} value=${chain.enabled === false ? 'off' : 'stopped'} tone="warn" />`],
          ['Org wallet', chain.account ? html`<span class="mono">${chain.account}</span>` : '—'],
          ['Chain id', chain.chainId || (head && head.chainId)],
          ['RPC', chain.rpc || (head && head.rpc)],
          ['Head', head ? html`#${head.number} · ${datetime(head.time)}` : '—'],
          ['Token', chain.contracts && html`<span class="mono">${chain.contracts.Token}</span>`],
          ['Registry', chain.contracts && html`<span class="mono">${chain.contracts.Registry}</span>`],
          ['Market', chain.contracts && html`<span class="mono">${chain.contracts.Market}</span>`],
          ['Provider registration', o.chain.data ? (chain.registration ? 'on' : 'off (no --provider-url-base)') : '—'],
        ]} />
      <//>
      <${Card} title="Network">
        <${PartError} part=${o.peers} what="peers" />
        ${peers && html`<${KV} items=${[['This carrier', html`<span class="mono clip" title=${peers.self.id}>${peers.self.id}</span>`]]} />`}
        ${peers && peers.peers.length === 0 && html`<${Empty} title="No connected peer" icon="⌁">The carrier has not reached another organization yet. Give it bootstrap peers (Settings shows this carrier's addresses to share).<//>`}
        ${peers && peers.peers.length > 0 && html`<ul class="peers">${peers.peers.map(
          (p) => html`<li><${Dot} status="connected" /><span class="mono clip" title=${p.id}>${short(p.id)}</span>
            <span class="muted"> ${p.direction || ''}${p.latency ? ' · ' + p.latency : ''}${p.listings ? ' · listings' : ''}</span></li>`,
        )}</ul>`}
        <${PartError} part=${o.directory} what="directory" />
        ${dir && html`<p><a href="#/directory">${pluralize(dir.listings, 'listing')}</a> in the network directory.</p>`}
      <//>
    </div>
  <//>`;
}
