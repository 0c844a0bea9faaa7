// Formatting of amounts, resources, addresses and times.

const SUP = { '-': '⁻', 0: '⁰', 1: '¹', 2: '²', 3: '³', 4: '⁴', 5: '⁵', 6: '⁶', 7: '⁷', 8: '⁸', 9: '⁹' };

function group(digits) {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

// amount formats a decimal string of token base units: grouped below
// 10^15, else as m × 10^e. The exact value belongs in a title.
export function amount(s) {
  if (s == null || s === '') return '—';
  s = String(s).replace(/^0+(?=\d)/, '');
  if (!/^\d+$/.test(s)) return s;
  if (s.length <= 15) return group(s);
  const e = s.length - 1;
  const m = s[0] + '.' + s.slice(1, 4);
  return m + ' × 10' + String(e).split('').map((c) => SUP[c]).join('');
}

// toBig parses a decimal string (or number) as a BigInt; bad input is 0n.
export function toBig(s) {
  try {
    return BigInt(String(s ?? '0'));
  } catch {
    return 0n;
  }
}

export function bytes(n) {
  n = Number(n || 0);
  if (n === 0) return '0';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return (n >= 100 || Number.isInteger(n) ? n.toFixed(0) : n.toFixed(1)) + ' ' + units[i];
}

export function cpu(millis) {
  millis = Number(millis || 0);
  if (millis % 1000 === 0) return millis / 1000 + ' CPU';
  return (millis / 1000).toFixed(millis % 100 === 0 ? 1 : 3) + ' CPU';
}

export function resources(r) {
  if (!r) return '—';
  const parts = [cpu(r.cpuMillis), bytes(r.memoryBytes) + ' mem'];
  if (r.storageBytes) parts.push(bytes(r.storageBytes) + ' disk');
  if (r.gpus) parts.push(r.gpus + ' GPU' + (r.gpuModel ? ' ' + r.gpuModel : ''));
  return parts.join(' · ');
}

export function short(addr) {
  if (!addr || addr.length < 14) return addr || '—';
  return addr.slice(0, 6) + '…' + addr.slice(-4);
}

export function duration(sec) {
  sec = Math.max(0, Math.round(Number(sec || 0)));
  if (sec < 60) return sec + ' s';
  if (sec < 3600) return Math.floor(sec / 60) + ' min' + (sec % 60 ? ' ' + (sec % 60) + ' s' : '');
  if (sec < 86400) return Math.floor(sec / 3600) + ' h' + (sec % 3600 >= 60 ? ' ' + Math.floor((sec % 3600) / 60) + ' min' : '');
  return Math.floor(sec / 86400) + ' d' + (sec % 86400 >= 3600 ? ' ' + Math.floor((sec % 86400) / 3600) + ' h' : '');
}

export function ago(t) {
  if (!t) return '—';
  const ms = Date.now() - new Date(t).getTime();
  if (Number.isNaN(ms)) return '—';
  if (ms < 0) return 'in ' + duration(-ms / 1000);
  if (ms < 1500) return 'just now';
  return duration(ms / 1000) + ' ago';
}

export function datetime(t) {
  if (!t) return '—';
  const d = typeof t === 'number' ? new Date(t * 1000) : new Date(t);
  if (Number.isNaN(d.getTime())) return '—';
  return d.toLocaleString(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

export function pluralize(n, word) {
  return n + ' ' + word + (n === 1 ? '' : 's');
}
