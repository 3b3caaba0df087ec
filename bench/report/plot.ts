// An SVG line plot: packets/s per core of the SUT against x, one line per target.
export interface Series {
  name: string;
  color: string;
  points: { x: number; y: number }[];
}

export interface PlotInput {
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  width?: number;
  height?: number;
  note?: string;
}

const esc = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** A "nice" step (1, 2 or 5 times a power of ten) that splits 0..max into about `n` ticks. */
export function niceStep(max: number, n = 5): number {
  if (max <= 0) return 1;
  const raw = max / n;
  const p = 10 ** Math.floor(Math.log10(raw));
  const m = raw / p;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

export function linePlotSvg(p: PlotInput): string {
  const W = p.width ?? 800;
  const H = p.height ?? 480;
  const L = 90;
  const R = 20;
  const T = 50;
  const B = 70;
  const pts = p.series.flatMap((s) => s.points);
  const xs = [...new Set(pts.map((q) => q.x))].sort((a, b) => a - b);
  const yMax = Math.max(1, ...pts.map((q) => q.y));
  const yStep = niceStep(yMax);
  const yTop = Math.ceil(yMax / yStep) * yStep;
  // x on a categorical axis (the ladder's steps are far from evenly spaced)
  const xPos = (x: number) => {
    const i = xs.indexOf(x);
    return xs.length <= 1 ? L + (W - L - R) / 2 : L + (i * (W - L - R)) / (xs.length - 1);
  };
  const yPos = (y: number) => T + (H - T - B) * (1 - y / yTop);
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="DejaVu Sans, sans-serif">`,
  );
  out.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  out.push(`<text x="${W / 2}" y="28" font-size="18" text-anchor="middle">${esc(p.title)}</text>`);
  for (let y = 0; y <= yTop + 1e-9; y += yStep) {
    const py = yPos(y);
    out.push(`<line x1="${L}" x2="${W - R}" y1="${py}" y2="${py}" stroke="#ddd"/>`);
    out.push(
      `<text x="${L - 8}" y="${py + 4}" font-size="12" text-anchor="end">${Math.round(y)}</text>`,
    );
  }
  for (const x of xs) {
    out.push(
      `<text x="${xPos(x)}" y="${H - B + 20}" font-size="12" text-anchor="middle">${x}</text>`,
    );
  }
  out.push(
    `<line x1="${L}" x2="${L}" y1="${T}" y2="${H - B}" stroke="black"/>` +
      `<line x1="${L}" x2="${W - R}" y1="${H - B}" y2="${H - B}" stroke="black"/>`,
  );
  out.push(
    `<text x="${(L + W - R) / 2}" y="${H - B + 45}" font-size="14" text-anchor="middle">${esc(p.xLabel)}</text>`,
  );
  out.push(
    `<text x="20" y="${(T + H - B) / 2}" font-size="14" text-anchor="middle" transform="rotate(-90 20 ${(T + H - B) / 2})">${esc(p.yLabel)}</text>`,
  );
  p.series.forEach((s, i) => {
    const sorted = [...s.points].sort((a, b) => a.x - b.x);
    if (sorted.length > 1) {
      const d = sorted.map((q, k) => `${k ? "L" : "M"}${xPos(q.x)},${yPos(q.y)}`).join(" ");
      out.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="2.5"/>`);
    }
    for (const q of sorted) {
      out.push(`<circle cx="${xPos(q.x)}" cy="${yPos(q.y)}" r="4" fill="${s.color}"/>`);
    }
    const ly = T + 6 + i * 20;
    out.push(
      `<rect x="${W - R - 150}" y="${ly - 10}" width="14" height="14" fill="${s.color}"/>` +
        `<text x="${W - R - 130}" y="${ly + 2}" font-size="13">${esc(s.name)}</text>`,
    );
  });
  if (p.note) {
    out.push(`<text x="${L}" y="${H - 8}" font-size="11" fill="#555">${esc(p.note)}</text>`);
  }
  out.push("</svg>");
  return out.join("\n");
}
