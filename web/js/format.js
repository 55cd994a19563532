// Numbers for people: about three significant figures, thousands grouped, units attached. The
// page formats what the core computed; it computes nothing itself.

const group = new Intl.NumberFormat('en-US', {maximumFractionDigits: 0});

export function num(v, digits) {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  if (digits !== undefined) return v.toLocaleString('en-US', {minimumFractionDigits: digits, maximumFractionDigits: digits});
  const a = Math.abs(v);
  if (a >= 1000) return group.format(v);
  if (a >= 100 || v === Math.round(v)) return String(Math.round(v));
  if (a >= 10) return v.toFixed(1);
  if (a >= 0.1) return v.toFixed(2);
  if (a === 0) return '0';
  return v.toPrecision(2);
}

// "1 GPU", "3 GPUs": a count with its noun.
export function counted(n, one, many) {
  return `${num(n)} ${n === 1 ? one : many}`;
}

export function money(v) {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  if (Math.abs(v) < 1) return `$${v.toFixed(3)}`;
  if (Math.abs(v) < 100) return `$${v.toFixed(2)}`;
  return `$${group.format(v)}`;
}

export function gb(v) {
  return v === null || v === undefined || !Number.isFinite(v) ? '–' : `${v.toFixed(v < 10 ? 2 : 1)} GB`;
}

export function pct(v, sign = false) {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  return `${sign && v > 0 ? '+' : ''}${v.toFixed(Math.abs(v) < 10 ? 1 : 0)}%`;
}

export function params(v) {
  if (!Number.isFinite(v)) return '–';
  if (v >= 1e12) return `${(v / 1e12).toFixed(2)}T`;
  if (v >= 1e9) return `${(v / 1e9).toFixed(v >= 1e11 ? 0 : 1)}B`;
  return `${(v / 1e6).toFixed(0)}M`;
}

export function seconds(v) {
  if (!Number.isFinite(v)) return '–';
  if (v < 1) return `${(v * 1000).toFixed(v < 0.01 ? 1 : 0)} ms`;
  if (v < 120) return `${v.toFixed(1)} s`;
  if (v < 7200) return `${(v / 60).toFixed(0)} min`;
  return `${(v / 3600).toFixed(1)} h`;
}
