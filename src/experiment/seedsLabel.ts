// How a run's seeds are named on the page and in the report: ranges, so that eighteen seeds fit
// in a column heading and two runs of as many seeds are still told apart.

/** "1 seed: 2", "12 seeds: 1–6, 47–52": runs of consecutive seeds as ranges. */
export function seedsLabel(seeds: number[]): string {
  const ranges: string[] = [];
  for (let i = 0; i < seeds.length; ) {
    let j = i;
    while (j + 1 < seeds.length && seeds[j + 1] === seeds[j] + 1) j++;
    ranges.push(j > i ? `${seeds[i]}–${seeds[j]}` : `${seeds[i]}`);
    i = j + 1;
  }
  return `${seeds.length} seed${seeds.length === 1 ? '' : 's'}: ${ranges.join(', ')}`;
}
