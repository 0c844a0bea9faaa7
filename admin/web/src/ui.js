// The console's small UI kit: hooks to load data, and the pieces every
// page is built from (cards, tables, badges, empty and error states,
// buttons that show progress, confirmation).
import { html } from 'htm/preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { get } from './api.js';

// useData loads path (again when it changes, and every interval ms if
// given); data stays while a reload runs.
export function useData(path, { interval = 0 } = {}) {
  const [state, setState] = useState({ data: null, error: null, loading: !!path });
  const tick = useRef(0);
  const load = useCallback(async () => {
    if (!path) return;
    const mine = ++tick.current;
    setState((s) => ({ ...s, loading: true }));
    try {
      const data = await get(path);
      if (mine === tick.current) setState({ data, error: null, loading: false });
    } catch (error) {
      if (mine === tick.current) setState((s) => ({ data: s.data, error, loading: false }));
    }
  }, [path]);
  useEffect(() => {
    setState({ data: null, error: null, loading: !!path });
    load();
    if (!interval) return undefined;
    const id = setInterval(load, interval);
    return () => clearInterval(id);
  }, [load, interval]);
  return { ...state, reload: load };
}

export function Page({ title, subtitle, actions, children }) {
  return html`<section class="page">
    <header class="page-head">
      <div><h1>${title}</h1>${subtitle && html`<p class="subtitle">${subtitle}</p>`}</div>
      ${actions && html`<div class="page-actions">${actions}</div>`}
    </header>
    ${children}
  </section>`;
}

export function Card({ title, actions, children, class: cls = '', id }) {
  return html`<div class=${'card ' + cls} id=${id}>
    ${(title || actions) && html`<div class="card-head"><h2>${title}</h2>${actions && html`<div class="card-actions">${actions}</div>`}</div>`}
    <div class="card-body">${children}</div>
  </div>`;
}

const tones = {
  passing: 'ok', ok: 'ok', active: 'ok', registered: 'ok', confirmed: 'ok', settled: 'ok', running: 'ok', connected: 'ok',
  warning: 'warn', pending: 'warn', mined: 'warn', outdated: 'warn', standby: 'warn', ended: 'warn', locked: 'warn',
  critical: 'bad', failed: 'bad', denied: 'bad', taken: 'bad', unregistered: 'muted', deregistered: 'muted', cancelled: 'muted',
  admin: 'accent', viewer: 'muted', buyer: 'accent', seller: 'accent2', 'buyer+seller': 'accent',
};

export function Badge({ value, tone, title }) {
  return html`<span class=${'badge ' + (tone || tones[value] || 'muted')} title=${title}>${value}</span>`;
}

export function Dot({ status }) {
  return html`<span class=${'dot ' + (tones[status] || 'muted')} title=${status}></span>`;
}

export function Spinner({ label }) {
  return html`<span class="spinner-wrap"><span class="spinner" aria-hidden="true"></span>${label && html`<span>${label}</span>`}</span>`;
}

// ErrorBox shows an API error: what happened, the code and request id to
// find it in admin's log, and a retry when given.
export function ErrorBox({ error, retry, title }) {
  if (!error) return null;
  return html`<div class="alert error" role="alert">
    <div><strong>${title || 'Something went wrong'}</strong>
      <p>${error.message || String(error)}</p>
      ${error.code && html`<p class="meta">code ${error.code}${error.requestId ? ' · request ' + error.requestId : ''}</p>`}
    </div>
    ${retry && html`<button class="btn small" onClick=${retry}>Retry</button>`}
  </div>`;
}

export function Notice({ tone = 'info', title, children }) {
  return html`<div class=${'alert ' + tone}><div>${title && html`<strong>${title}</strong>`}<div>${children}</div></div></div>`;
}

export function Empty({ icon = '◌', title, children }) {
  return html`<div class="empty"><div class="empty-icon" aria-hidden="true">${icon}</div><h3>${title}</h3>${children && html`<p>${children}</p>`}</div>`;
}

// Loading is the first load: a skeleton, not a blank.
export function Loading({ label = 'Loading…' }) {
  return html`<div class="loading"><${Spinner} label=${label} /></div>`;
}

// Table renders rows with columns [{label, render, class}]; empty rows
// show the empty state.
export function Table({ columns, rows, empty, onRow, rowKey, rowClass }) {
  if (!rows || rows.length === 0) return empty || html`<${Empty} title="Nothing here yet" />`;
  return html`<div class="table-wrap"><table>
    <thead><tr>${columns.map((c) => html`<th class=${c.class || ''}>${c.label}</th>`)}</tr></thead>
    <tbody>${rows.map((r, i) => html`<tr key=${rowKey ? rowKey(r) : i} class=${(onRow ? 'clickable ' : '') + (rowClass ? rowClass(r) : '')}
        onClick=${onRow ? () => onRow(r) : undefined}>
      ${columns.map((c) => html`<td class=${c.class || ''}>${c.render(r)}</td>`)}</tr>`)}</tbody>
  </table></div>`;
}

// Button runs an async action and shows that it runs.
export function Button({ onClick, children, kind = 'primary', busyLabel, disabled, type = 'button', small, title, id }) {
  const [busy, setBusy] = useState(false);
  const click = async (e) => {
    if (!onClick) return;
    e.preventDefault();
    setBusy(true);
    try {
      await onClick(e);
    } finally {
      setBusy(false);
    }
  };
  return html`<button id=${id} type=${type} title=${title} class=${'btn ' + kind + (small ? ' small' : '')} disabled=${disabled || busy} onClick=${click}>
    ${busy ? html`<${Spinner} label=${busyLabel || children} />` : children}
  </button>`;
}

// Confirm asks before a consequential action.
export function Confirm({ title, body, confirmLabel = 'Confirm', danger, onConfirm, onCancel }) {
  return html`<div class="modal-back" onClick=${onCancel}>
    <div class="modal" role="dialog" aria-modal="true" aria-label=${title} onClick=${(e) => e.stopPropagation()}>
      <h2>${title}</h2>
      <div class="modal-body">${body}</div>
      <div class="modal-actions">
        <button class="btn ghost" onClick=${onCancel}>Keep it</button>
        <${Button} kind=${danger ? 'danger' : 'primary'} onClick=${onConfirm}>${confirmLabel}<//>
      </div>
    </div>
  </div>`;
}

export function Field({ label, hint, children, error }) {
  return html`<label class="field"><span class="field-label">${label}</span>${children}
    ${hint && !error && html`<span class="field-hint">${hint}</span>`}${error && html`<span class="field-error">${error}</span>`}</label>`;
}

export function KV({ items }) {
  return html`<dl class="kv">${items.filter(Boolean).map(([k, v]) => html`<dt>${k}</dt><dd>${v ?? '—'}</dd>`)}</dl>`;
}

export function Stat({ label, value, hint, tone, title }) {
  return html`<div class=${'stat ' + (tone || '')}>
    <div class="stat-label">${label}</div><div class="stat-value" title=${title}>${value}</div>${hint && html`<div class="stat-hint">${hint}</div>`}</div>`;
}

// Copy puts a value on the clipboard.
export function Copy({ value }) {
  const [done, setDone] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setDone(true);
      setTimeout(() => setDone(false), 1500);
    } catch {
      /* no clipboard on plain HTTP: the value is selectable */
    }
  };
  return html`<button class="btn tiny ghost" onClick=${copy} title="Copy">${done ? 'copied' : 'copy'}</button>`;
}
