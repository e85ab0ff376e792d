import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { CategoryScore } from '@aks-baseline/plugin-aks-baseline-common';
import { CategoryBars } from './CategoryBars';

const category = (
  name: CategoryScore['category'],
  score: number | null,
): CategoryScore =>
  ({
    category: name,
    score,
    passed: score === null ? 0 : 1,
    failed: score === 0 ? 3 : 1,
    waived: 0,
    unknown: 0,
  } as CategoryScore);

/** How far the bar's fill is drawn (MUI moves it left by 100 - value). */
function fillOf(bar: HTMLElement): string {
  const fill = bar.querySelector<HTMLElement>('.MuiLinearProgress-bar')!;
  return fill.style.transform;
}

describe('CategoryBars', () => {
  it('draws a visible stub for a category at 0, and nothing for one without a score', async () => {
    await renderInTestApp(
      <CategoryBars
        categories={[
          category('networking', 0),
          category('identity', null),
          category('images', 50),
        ]}
      />,
    );
    const zero = screen.getByRole('progressbar', {
      name: 'Networking: 0 out of 100, grade F',
    });
    // Read as 0, drawn as a stub.
    expect(zero).toHaveAttribute('aria-valuenow', '0');
    expect(fillOf(zero)).toBe('translateX(-97%)');
    const none = screen.getByRole('progressbar', {
      name: 'Identity and secrets: no score',
    });
    expect(fillOf(none)).toBe('translateX(-100%)');
    expect(screen.getByText('n/a')).toBeInTheDocument();
    expect(screen.getByText('0 · F')).toBeInTheDocument();
    expect(
      fillOf(screen.getByRole('progressbar', { name: /^Images: 50/ })),
    ).toBe('translateX(-50%)');
  });

  it('says in one line why a category is graded otherwise than the whole', async () => {
    await renderInTestApp(
      <CategoryBars
        categories={[category('networking', 50), category('images', 100)]}
        overall={97}
      />,
    );
    expect(screen.getByTestId('aks-baseline-grade-gap')).toHaveTextContent(
      "Networking is F while the whole is A: a category's score counts only its own checks.",
    );
  });

  it('says nothing when every category has the overall grade, or without the overall score', async () => {
    const categories = [category('networking', 92), category('images', 100)];
    const { rerender } = await renderInTestApp(
      <CategoryBars categories={categories} overall={95} />,
    );
    expect(screen.queryByTestId('aks-baseline-grade-gap')).toBeNull();
    rerender(<CategoryBars categories={[category('networking', 50)]} />);
    expect(screen.queryByTestId('aks-baseline-grade-gap')).toBeNull();
  });
});
