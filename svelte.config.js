// Svelte 5 with runes; Vite's TypeScript handling (no preprocessor needed).
export default {
  compilerOptions: { runes: true },
};
