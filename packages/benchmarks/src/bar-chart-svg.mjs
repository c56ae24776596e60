// Hand-written SVG bar charts: one panel per group (each with its own scale, since workloads
// differ by orders of magnitude), one horizontal bar per contestant, value printed at the bar.

const PALETTE = ['#2563eb', '#16a34a', '#d97706', '#9333ea', '#dc2626', '#0891b2'];
const escapeXml = (text) =>
  String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const formatValue = (value) =>
  value >= 100
    ? value.toFixed(0)
    : value >= 10
      ? value.toFixed(1)
      : value >= 1
        ? value.toFixed(2)
        : value.toFixed(3);

/**
 * An SVG document: `title`, `unit` (axis note), `series` (bar labels, in order, one colour each)
 * and `groups` ([{ label, values: { [series]: number | null } }]). Missing values are skipped.
 */
export function barChartSvg({ title, unit, series, groups, note }) {
  const width = 760;
  const labelWidth = 190;
  const valueWidth = 80;
  const barHeight = 16;
  const gap = 4;
  const plotWidth = width - labelWidth - valueWidth - 20;
  const parts = [];
  let y = 62;
  for (const group of groups) {
    const present = series.filter((name) => Number.isFinite(group.values[name]));
    if (present.length === 0) continue;
    const max = Math.max(...present.map((name) => group.values[name]));
    parts.push(`<text x="10" y="${y}" class="group">${escapeXml(group.label)}</text>`);
    y += 8;
    for (const name of present) {
      const value = group.values[name];
      const barWidth = max > 0 ? Math.max(1, (value / max) * plotWidth) : 1;
      const colour = PALETTE[series.indexOf(name) % PALETTE.length];
      parts.push(
        `<text x="${labelWidth - 8}" y="${y + barHeight - 4}" class="label" text-anchor="end">${escapeXml(name)}</text>`,
        `<rect x="${labelWidth}" y="${y}" width="${barWidth.toFixed(1)}" height="${barHeight}" fill="${colour}"/>`,
        `<text x="${(labelWidth + barWidth + 6).toFixed(1)}" y="${y + barHeight - 4}" class="value">${formatValue(value)}</text>`,
      );
      y += barHeight + gap;
    }
    y += 18;
  }
  if (note) {
    parts.push(`<text x="10" y="${y}" class="note">${escapeXml(note)}</text>`);
    y += 10;
  }
  const height = y + 10;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" role="img" aria-labelledby="chart-title">
<title id="chart-title">${escapeXml(title)}</title>
<style>.title{font-size:16px;font-weight:600}.unit,.note{font-size:11px;fill:#555}.group{font-size:13px;font-weight:600}.label,.value{font-size:11px}</style>
<rect width="100%" height="100%" fill="#fff"/>
<text x="10" y="22" class="title">${escapeXml(title)}</text>
<text x="10" y="38" class="unit">${escapeXml(unit)}</text>
${parts.join('\n')}
</svg>
`;
}
