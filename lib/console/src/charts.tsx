/**
 * Hand-made bar charts (no chart library): HTML bars sized in CSS, so labels keep their text size from
 * 1280 px down to a 390 px phone and the bundle stays small.
 */

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

/**
 * Horizontal bars, one row per category and one bar per series in it. The chart is an image to assistive
 * technology (its title is the label); every screen shows the same figures in a table beside it.
 */
export function BarChart({ title, categories, series }: BarChartProps) {
  const max = Math.max(1, ...series.flatMap((one) => one.values));
  return (
    <figure class="chart">
      <figcaption>{title}</figcaption>
      <div class="chart-body" role="img" aria-label={title}>
        {categories.map((category, row) => (
          <div class="chart-row" key={category} aria-hidden="true">
            <div class="chart-category">{category}</div>
            <div class="chart-bars">
              {series.map((one) => {
                const value = one.values[row] ?? 0;
                return (
                  <div class="chart-bar-line" key={one.name}>
                    <span class={`bar ${one.className}`} style={{ '--ratio': String(value > 0 ? Math.max(0.005, value / max) : 0) }} />
                    <span class="chart-value">{one.labels[row]}</span>
                  </div>
                );
              })}
            </div>
          </div>
        ))}
        {series.length > 1 && (
          <div class="chart-legend" aria-hidden="true">
            {series.map((one) => (
              <span key={one.name}>
                <span class={`swatch ${one.className}`} /> {one.name}
              </span>
            ))}
          </div>
        )}
      </div>
    </figure>
  );
}
