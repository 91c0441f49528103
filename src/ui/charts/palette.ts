// Colours and line styles for arms and stages: the Okabe-Ito palette (safe for the common
// colour-vision deficiencies), then grey and Paul Tol's wine for the agentic plan's ninth and
// tenth arms (control documents and the anti-spec alone), with a dash pattern per series as a
// second cue, so lines stay apart in greyscale and on a washed-out projector. Flat reference
// lines are all dotted, so there colour alone tells the arms apart.
import type { ExperimentPlan } from '../../experiment/plans';

export const COLOURS = ['#000000', '#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#8C6D00', '#999999', '#882255'];
export const DASHES: number[][] = [[], [12, 6], [3, 5], [16, 5, 3, 5], [7, 4], [2, 3], [22, 7], [9, 4, 2, 4, 2, 4]];

export interface LineStyle {
  color: string;
  dash: number[];
}

/** Past the tenth series the colours repeat with another dash, so no two of 64 look alike. */
export function styleAt(i: number): LineStyle {
  const round = Math.floor(i / COLOURS.length);
  return { color: COLOURS[i % COLOURS.length], dash: DASHES[(i + round * 3) % DASHES.length] };
}

/** An arm keeps its style on every chart of a run. */
export function armStyle(plan: ExperimentPlan, arm: string): LineStyle {
  return styleAt(Math.max(0, plan.arms.findIndex((a) => a.name === arm)));
}

/** A CSS border-style close to a dash pattern, for legends drawn in HTML. */
export function cssDash(dash: number[]): string {
  if (dash.length === 0) return 'solid';
  return dash[0] <= 3 ? 'dotted' : 'dashed';
}
