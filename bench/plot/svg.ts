// A small SVG plotter for the bench (no dependencies): line charts with linear or log axes.

export type Series = { name: string; points: { x: number; y: number }[]; color?: string; step?: boolean }

export type ChartParameters = {
  title: string
  xLabel: string
  yLabel: string
  series: Series[]
  xLog?: boolean
  yLog?: boolean
  width?: number
  height?: number
  /** Draw a marker on every point. */
  markers?: boolean
}

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b']

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

/** Round, readable tick values between `min` and `max` (powers of ten on a log axis). */
function ticks(min: number, max: number, log: boolean): number[] {
  if (log) {
    const out: number[] = []
    for (let e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); e++) out.push(10 ** e)
    return out
  }
  const span = max - min || 1
  const step = 10 ** Math.floor(Math.log10(span / 5))
  const nice = [1, 2, 5, 10].map((m) => m * step).find((s) => span / s <= 8) ?? step * 10
  const out: number[] = []
  for (let v = Math.ceil(min / nice) * nice; v <= max + 1e-9; v += nice) out.push(Math.round(v * 1e6) / 1e6)
  return out
}

const label = (v: number) => (Math.abs(v) >= 1_000_000 ? `${Math.round((v / 1_000_000) * 10) / 10}M` : Math.abs(v) >= 10_000 ? `${Math.round(v / 1000)}k` : Math.abs(v) >= 1000 ? `${(v / 1000).toFixed(1).replace(/\.0$/, '')}k` : String(Math.round(v * 100) / 100))

/** Renders a chart as an SVG document. */
export function lineChart(parameters: ChartParameters): string {
  const width = parameters.width ?? 720
  const height = parameters.height ?? 420
  const margin = { left: 70, right: 20, top: 40, bottom: 60 }
  const all = parameters.series.flatMap((s) => s.points).filter((p) => (!parameters.xLog || p.x > 0) && (!parameters.yLog || p.y > 0))
  const xs = all.map((p) => p.x)
  const ys = all.map((p) => p.y)
  let [xMin, xMax] = [Math.min(...xs), Math.max(...xs)]
  let [yMin, yMax] = [parameters.yLog ? Math.min(...ys) : Math.min(0, ...ys), Math.max(...ys)]
  if (parameters.xLog) [xMin, xMax] = [10 ** Math.floor(Math.log10(xMin)), 10 ** Math.ceil(Math.log10(xMax))]
  if (parameters.yLog) [yMin, yMax] = [10 ** Math.floor(Math.log10(yMin)), 10 ** Math.ceil(Math.log10(yMax))]
  if (xMax === xMin) xMax = xMin + 1
  if (yMax === yMin) yMax = yMin + 1
  const fx = (x: number) => margin.left + ((parameters.xLog ? Math.log10(x) - Math.log10(xMin) : x - xMin) / (parameters.xLog ? Math.log10(xMax) - Math.log10(xMin) : xMax - xMin)) * (width - margin.left - margin.right)
  const fy = (y: number) => height - margin.bottom - ((parameters.yLog ? Math.log10(y) - Math.log10(yMin) : y - yMin) / (parameters.yLog ? Math.log10(yMax) - Math.log10(yMin) : yMax - yMin)) * (height - margin.top - margin.bottom)
  const parts: string[] = []
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`)
  parts.push(`<rect width="100%" height="100%" fill="white"/>`)
  parts.push(`<text x="${width / 2}" y="22" text-anchor="middle" font-size="15">${escape(parameters.title)}</text>`)
  for (const t of ticks(xMin, xMax, parameters.xLog ?? false)) {
    const x = fx(t)
    parts.push(`<line x1="${x}" y1="${margin.top}" x2="${x}" y2="${height - margin.bottom}" stroke="#eee"/><text x="${x}" y="${height - margin.bottom + 16}" text-anchor="middle">${label(t)}</text>`)
  }
  for (const t of ticks(yMin, yMax, parameters.yLog ?? false)) {
    const y = fy(t)
    parts.push(`<line x1="${margin.left}" y1="${y}" x2="${width - margin.right}" y2="${y}" stroke="#eee"/><text x="${margin.left - 6}" y="${y + 4}" text-anchor="end">${label(t)}</text>`)
  }
  parts.push(`<rect x="${margin.left}" y="${margin.top}" width="${width - margin.left - margin.right}" height="${height - margin.top - margin.bottom}" fill="none" stroke="#333"/>`)
  parts.push(`<text x="${width / 2}" y="${height - 18}" text-anchor="middle">${escape(parameters.xLabel)}</text>`)
  parts.push(`<text transform="translate(16 ${height / 2}) rotate(-90)" text-anchor="middle">${escape(parameters.yLabel)}</text>`)
  parameters.series.forEach((series, i) => {
    const color = series.color ?? COLORS[i % COLORS.length]!
    const points = series.points.filter((p) => (!parameters.xLog || p.x > 0) && (!parameters.yLog || p.y > 0))
    if (points.length === 0) return
    let d = `M${fx(points[0]!.x).toFixed(1)},${fy(points[0]!.y).toFixed(1)}`
    for (const [j, p] of points.entries()) {
      if (j === 0) continue
      if (series.step) d += ` H${fx(p.x).toFixed(1)}`
      d += ` ${series.step ? 'V' : 'L'}${series.step ? fy(p.y).toFixed(1) : `${fx(p.x).toFixed(1)},${fy(p.y).toFixed(1)}`}`
    }
    parts.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="2"/>`)
    if (parameters.markers) for (const p of points) parts.push(`<circle cx="${fx(p.x).toFixed(1)}" cy="${fy(p.y).toFixed(1)}" r="3.5" fill="${color}"/>`)
    parts.push(`<rect x="${margin.left + 10}" y="${margin.top + 8 + i * 18}" width="12" height="3" fill="${color}"/><text x="${margin.left + 28}" y="${margin.top + 13 + i * 18}">${escape(series.name)}</text>`)
  })
  parts.push('</svg>')
  return parts.join('\n') + '\n'
}

/** Points of an empirical CDF: (latency, fraction of messages at or below it). */
export function cdfPoints(samples: readonly number[]): { x: number; y: number }[] {
  const sorted = [...samples].sort((a, b) => a - b)
  return sorted.map((x, i) => ({ x, y: (i + 1) / sorted.length }))
}
