// Svelte compiler settings shared by the Vite build and svelte-check: TypeScript in components.
import { vitePreprocess } from "@sveltejs/vite-plugin-svelte";

export default { preprocess: vitePreprocess() };
