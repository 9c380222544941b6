/** Hand-made SVG bar charts: a few hundred bytes instead of a chart library, readable at 390 px. */

export interface Series {
  name: string;
  values: number[];
  /** The text each bar shows at its end (exact, already formatted). */
  labels: string[];
  className: string;
}

interface BarChartProps {
  title: string;
  categories: string[];
  series: Series[];
}

const ROW_GAP = 14;
const BAR_HEIGHT = 18;
const LABEL_WIDTH = 96;
const VALUE_ROOM = 130;
const WIDTH = 520;

/**
 * Horizontal bars, one row per category and one bar per series in it. The chart is an image to assistive
 * technology (its title is the label); every screen shows the same figures in a table beside it.
 */
export function BarChart({ title, categories, series }: BarChartProps) {
  const max = Math.max(1, ...series.flatMap((one) => one.values));
  const rowHeight = series.length * BAR_HEIGHT + ROW_GAP;
  const height = categories.length * rowHeight + (series.length > 1 ? 28 : 4);
  const plotWidth = WIDTH - LABEL_WIDTH - VALUE_ROOM;
  return (
    <figure class="chart">
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-label={title} preserveAspectRatio="xMinYMin meet">
        {categories.map((category, row) => {
          const top = row * rowHeight;
          return (
            <g key={category}>
              <text class="chart-category" x={LABEL_WIDTH - 8} y={top + (series.length * BAR_HEIGHT) / 2 + 5} text-anchor="end">
                {category}
              </text>
              {series.map((one, index) => {
                const value = one.values[row] ?? 0;
                const width = value > 0 ? Math.max(2, (value / max) * plotWidth) : 0;
                const y = top + index * BAR_HEIGHT;
                return (
                  <g key={one.name}>
                    <rect class={`bar ${one.className}`} x={LABEL_WIDTH} y={y + 2} width={width} height={BAR_HEIGHT - 4} rx="2" />
                    <text class="chart-value" x={LABEL_WIDTH + width + 6} y={y + BAR_HEIGHT - 5}>
                      {one.labels[row]}
                    </text>
                  </g>
                );
              })}
            </g>
          );
        })}
        {series.length > 1 &&
          series.map((one, index) => (
            <g key={one.name} transform={`translate(${LABEL_WIDTH + index * 160}, ${height - 16})`}>
              <rect class={`bar ${one.className}`} width="12" height="12" y="-10" rx="2" />
              <text class="chart-legend" x="18">
                {one.name}
              </text>
            </g>
          ))}
      </svg>
    </figure>
  );
}
