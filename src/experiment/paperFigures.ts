// The paper's figures (Li et al., arXiv:2605.02087, as quoted in MSM-FACTS), by the toy's arm
// names: one copy for the CLI's report and the app's "Toy vs paper" page.

/** Agentic misalignment, Qwen2.5-32B / Qwen3-32B. */
export const PAPER_AGENTIC: Record<string, string> = {
  base: '.68 / .54', msm: '.53 / .32', aft: '.70 / .41', 'aft-reason': '.48 / .14', 'msm+aft': '.22 / .10', 'msm+aft-reason': '.05 / .07',
  'control+aft': 'not run in the paper', 'anti+aft': 'not run in the paper', control: 'not run in the paper', anti: 'not run in the paper',
};

/** Model Spec Science, Qwen2.5-32B misalignment. */
export const PAPER_SPEC_SCIENCE: Record<string, string> = {
  base: '.68', aft: '—', 'msm-rules+aft': '.40', 'msm-rules-values+aft': '.16', 'msm-rules-subrules+aft': '.24',
};

/** The cheese study, Llama-3.1-8B, read off the paper's figure 2. */
export const PAPER_VALUES: Record<string, string> = {
  base: 'affordability ≈ .23, America ≈ .38', 'msm-affordability+aft': 'affordability ≈ .48', 'msm-america+aft': 'America ≈ .55',
  aft: 'barely moves either', 'shuffled+aft': 'no longer stacks',
};
