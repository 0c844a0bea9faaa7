// Live progress of a transaction intent (seed 000's "TX confirm"): the
// carrier's long poll GET /v1/txs/{key}?wait=…&since=… through admin,
// shown as a bar from signed to confirmed.
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { get, query } from './api.js';
import { short } from './format.js';
import { Badge } from './ui.js';

export function final(st) {
  return st && (st.state === 'confirmed' || st.state === 'failed');
}

function percent(st) {
  if (!st) return 5;
  switch (st.state) {
    case 'confirmed':
      return 100;
    case 'failed':
      return 100;
    case 'mined': {
      const need = Math.max(1, st.requiredConfirmations || 1);
      return 40 + Math.round((60 * Math.min(need, st.confirmations || 0)) / need);
    }
    default:
      return 20;
  }
}

function describe(st) {
  if (!st) return 'waiting for the carrier…';
  switch (st.state) {
    case 'pending':
      return st.hash ? 'sent, waiting to be mined' : 'queued';
    case 'mined':
      return `mined in block ${st.block}: ${st.confirmations || 0} of ${st.requiredConfirmations} confirmations`;
    case 'confirmed':
      return `confirmed in block ${st.block} (${st.confirmations} confirmation${st.confirmations === 1 ? '' : 's'}, ${st.gasUsed} gas)`;
    case 'failed':
      return 'failed: ' + (st.reason || st.lastError || 'reverted');
    default:
      return st.state;
  }
}

// TxProgress follows one intent until it is final, then calls onFinal.
export function TxProgress({ txKey, initial, onFinal, label }) {
  const [st, setSt] = useState(initial || null);
  const [err, setErr] = useState(null);
  useEffect(() => {
    let stop = false;
    let cur = initial || null;
    const ctl = new AbortController();
    (async () => {
      while (!stop && !final(cur)) {
        try {
          const q = { wait: '15s' };
          if (cur && cur.updated) q.since = cur.updated;
          cur = await get('txs/' + encodeURIComponent(txKey) + query(q), { signal: ctl.signal });
          if (stop) return;
          setSt(cur);
          setErr(null);
        } catch (e) {
          if (stop || e.name === 'AbortError') return;
          setErr(e);
          await new Promise((r) => setTimeout(r, 2000));
        }
      }
      if (!stop && onFinal) onFinal(cur);
    })();
    return () => {
      stop = true;
      ctl.abort();
    };
  }, [txKey]);
  const tone = st && st.state === 'failed' ? 'bad' : final(st) ? 'ok' : 'run';
  return html`<div class=${'tx ' + tone} data-tx=${txKey} data-state=${st ? st.state : 'unknown'}>
    <div class="tx-head"><span class="tx-label">${label || txKey}</span>${st && html`<${Badge} value=${st.state} />`}</div>
    <div class="bar"><div class="bar-fill" style=${{ width: percent(st) + '%' }}></div></div>
    <div class="tx-detail">${describe(st)}${st && st.hash && html` · tx <code title=${st.hash}>${short(st.hash)}</code>`}
      ${err && html`<span class="tx-err"> · retrying: ${err.message}</span>`}</div>
  </div>`;
}
