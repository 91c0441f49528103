// Arms keep apart on every chart: the agentic plan has more arms than the palette has colours.
import { describe, expect, it } from 'vitest';
import { PLANS } from '../../src/experiment/plans';
import { armStyle, styleAt } from '../../src/ui/charts/palette';

describe('arm styles', () => {
  it('give 64 series 64 different colour and dash pairs', () => {
    const keys = Array.from({ length: 64 }, (_, i) => JSON.stringify(styleAt(i)));
    expect(new Set(keys).size).toBe(64);
  });

  it('give every arm of every plan its own colour (flat lines are told apart by colour alone)', () => {
    for (const plan of Object.values(PLANS)) {
      const colours = plan.arms.map((a) => armStyle(plan, a.name).color);
      expect(new Set(colours).size, plan.name).toBe(plan.arms.length);
    }
  });
});
