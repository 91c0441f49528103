// Learning rate: linear warmup to the peak, then cosine decay to minLr at the last step.

export interface Schedule {
  peakLr: number;
  minLr: number;
  warmupSteps: number;
  totalSteps: number;
}

export function learningRate(s: Schedule, step: number): number {
  if (step < s.warmupSteps) return (s.peakLr * (step + 1)) / s.warmupSteps;
  const decaySteps = Math.max(1, s.totalSteps - s.warmupSteps);
  const progress = Math.min(1, (step - s.warmupSteps) / decaySteps);
  return s.minLr + 0.5 * (s.peakLr - s.minLr) * (1 + Math.cos(Math.PI * progress));
}
