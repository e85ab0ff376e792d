import { Theme } from '@material-ui/core/styles';
import { Grade, Severity } from '@aks-baseline/plugin-aks-baseline-common';

/** A background and the text colour that reads on it (WCAG AA, ≥ 4.5:1). */
export interface Swatch {
  background: string;
  text: string;
}

type Mode = 'light' | 'dark';

const WHITE = '#ffffff';
const BLACK = '#000000';

/*
 * Dark shades with white text on light themes, light shades with black text
 * on dark themes: every pair is at least 4.5:1 (see palette.test.ts), and the
 * fills keep ≥ 3:1 against the theme's paper so bars stay visible.
 */
const GRADE_SWATCHES: Record<Mode, Record<Grade | 'none', Swatch>> = {
  light: {
    A: { background: '#1b5e20', text: WHITE },
    B: { background: '#33691e', text: WHITE },
    C: { background: '#8a6100', text: WHITE },
    D: { background: '#b34700', text: WHITE },
    F: { background: '#b71c1c', text: WHITE },
    none: { background: '#616161', text: WHITE },
  },
  dark: {
    A: { background: '#81c784', text: BLACK },
    B: { background: '#c5e1a5', text: BLACK },
    C: { background: '#ffd54f', text: BLACK },
    D: { background: '#ffb74d', text: BLACK },
    F: { background: '#ef9a9a', text: BLACK },
    none: { background: '#b0bec5', text: BLACK },
  },
};

const SEVERITY_SWATCHES: Record<Mode, Record<Severity, Swatch>> = {
  light: {
    critical: { background: '#b71c1c', text: WHITE },
    high: { background: '#b34700', text: WHITE },
    medium: { background: '#8a6100', text: WHITE },
    low: { background: '#546e7a', text: WHITE },
  },
  dark: {
    critical: { background: '#ef9a9a', text: BLACK },
    high: { background: '#ffb74d', text: BLACK },
    medium: { background: '#ffd54f', text: BLACK },
    low: { background: '#b0bec5', text: BLACK },
  },
};

function modeOf(theme: Theme): Mode {
  return theme.palette.type === 'dark' ? 'dark' : 'light';
}

export function gradeSwatch(theme: Theme, grade: Grade | null): Swatch {
  return GRADE_SWATCHES[modeOf(theme)][grade ?? 'none'];
}

export function severitySwatch(theme: Theme, severity: Severity): Swatch {
  return SEVERITY_SWATCHES[modeOf(theme)][severity];
}

/** For tests: every swatch of both modes. */
export const ALL_SWATCHES: Swatch[] = (['light', 'dark'] as Mode[]).flatMap(
  mode => [
    ...Object.values(GRADE_SWATCHES[mode]),
    ...Object.values(SEVERITY_SWATCHES[mode]),
  ],
);

/** WCAG 2 contrast ratio of two `#rrggbb` colours. */
export function contrastRatio(a: string, b: string): number {
  const luminance = (hex: string) => {
    const [r, g, bl] = (hex.replace('#', '').match(/../g) ?? []).map(x => {
      const v = parseInt(x, 16) / 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}
