import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { useTheme } from '@material-ui/core/styles';
import { ScoreHistoryPoint } from '@aks-baseline/plugin-aks-baseline-common';

const DASHES = ['', '4 2', '1 2', '6 2 1 2'];

interface Series {
  cluster: string;
  points: { time: number; score: number }[];
}

/** History (newest first, one point per cluster and run) → one series per cluster, oldest first. */
export function toSeries(items: ScoreHistoryPoint[], maxSeries = 4): Series[] {
  const byCluster = new Map<string, Series>();
  for (const item of items) {
    if (item.score === null) continue;
    const time = Date.parse(item.evaluatedAt);
    if (Number.isNaN(time)) continue;
    let series = byCluster.get(item.cluster);
    if (!series) {
      series = { cluster: item.cluster, points: [] };
      byCluster.set(item.cluster, series);
    }
    series.points.push({ time, score: item.score });
  }
  return [...byCluster.values()]
    .map(s => ({ ...s, points: s.points.sort((a, b) => a.time - b.time) }))
    .sort((a, b) => b.points.length - a.points.length)
    .slice(0, maxSeries);
}

function describe(series: Series[]): string {
  return series
    .map(s => {
      const first = s.points[0].score;
      const last = s.points[s.points.length - 1].score;
      const change = last - first;
      const trend =
        change === 0
          ? 'unchanged'
          : `${change > 0 ? 'up' : 'down'} ${Math.abs(change)} points`;
      return `${s.cluster}: ${first} to ${last} over ${s.points.length} runs, ${trend}`;
    })
    .join('; ');
}

/**
 * A small inline SVG trend of the score over recent runs, one line per
 * cluster (told apart by dash pattern as well as by name). The same
 * information is in the accessible name and the text next to it.
 */
export function Sparkline(props: {
  items: ScoreHistoryPoint[];
  width?: number;
  height?: number;
}) {
  const { items, width = 160, height = 40 } = props;
  const theme = useTheme();
  // Only clusters with two runs or more make a line.
  const series = toSeries(items).filter(s => s.points.length > 1);

  if (series.length === 0) {
    return (
      <Typography
        variant="caption"
        color="textSecondary"
        data-testid="aks-baseline-trend"
      >
        Trend appears after the next evaluation.
      </Typography>
    );
  }

  const times = series.flatMap(s => s.points.map(p => p.time));
  const scores = series.flatMap(s => s.points.map(p => p.score));
  const minT = Math.min(...times);
  const maxT = Math.max(...times);
  // Keep some headroom so a flat line is not glued to an edge.
  const minS = Math.max(0, Math.min(...scores) - 5);
  const maxS = Math.min(100, Math.max(...scores) + 5);
  const pad = 3;
  const x = (t: number) =>
    maxT === minT
      ? width / 2
      : pad + ((t - minT) / (maxT - minT)) * (width - 2 * pad);
  const y = (s: number) =>
    maxS === minS
      ? height / 2
      : pad + (1 - (s - minS) / (maxS - minS)) * (height - 2 * pad);

  const colour = theme.palette.type === 'dark' ? '#90caf9' : '#1565c0';
  const label = `Score trend. ${describe(series)}.`;

  const main = series[0];
  const first = main.points[0].score;
  const last = main.points[main.points.length - 1].score;
  const change = last - first;

  return (
    <Box display="flex" alignItems="center" data-testid="aks-baseline-trend">
      <svg
        width={width}
        height={height}
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-label={label}
      >
        <title>{label}</title>
        {series.map((s, i) => {
          const d = s.points
            .map(
              (p, j) =>
                `${j === 0 ? 'M' : 'L'}${x(p.time).toFixed(1)},${y(
                  p.score,
                ).toFixed(1)}`,
            )
            .join(' ');
          const lastPoint = s.points[s.points.length - 1];
          return (
            <g key={s.cluster}>
              <path
                d={d}
                fill="none"
                stroke={colour}
                strokeWidth={2}
                strokeDasharray={DASHES[i % DASHES.length]}
                strokeLinejoin="round"
                strokeLinecap="round"
                opacity={i === 0 ? 1 : 0.7}
              />
              <circle
                cx={x(lastPoint.time)}
                cy={y(lastPoint.score)}
                r={2.5}
                fill={colour}
              />
            </g>
          );
        })}
      </svg>
      <Box ml={1} aria-hidden="true">
        <Typography variant="body2" style={{ fontWeight: 600 }}>
          {change === 0 ? '± 0' : `${change > 0 ? '▲ +' : '▼ '}${change}`}
        </Typography>
        <Typography variant="caption" color="textSecondary">
          {series.length > 1
            ? `${series.length} clusters`
            : `last ${main.points.length} runs`}
        </Typography>
      </Box>
    </Box>
  );
}
