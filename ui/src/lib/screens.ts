// Every screen but the first is its own chunk, loaded when first shown: start-up then parses only
// the shell and the home screen. Right after start the rest are fetched in the background, so
// moving to a screen later does not wait for its code.
const loaders = {
  new: () => import('../screens/NewAssessment.svelte'),
  workshop: () => import('../screens/Workshop.svelte'),
  results: () => import('../screens/Results.svelte'),
  reports: () => import('../screens/Reports.svelte'),
  soa: () => import('../screens/Soa.svelte'),
  room: () => import('../screens/Room.svelte'),
  evidence: () => import('../screens/Evidence.svelte'),
  libraries: () => import('../screens/Libraries.svelte'),
  register: () => import('../screens/Register.svelte'),
  history: () => import('../screens/History.svelte'),
};

export type LazyScreen = keyof typeof loaders;

const loaded = new Map<LazyScreen, ReturnType<(typeof loaders)[LazyScreen]>>();

/** The screen's module; the same promise every time, so a loaded screen renders at once. */
export function screen<K extends LazyScreen>(name: K): ReturnType<(typeof loaders)[K]> {
  let module = loaded.get(name);
  if (!module) {
    module = loaders[name]();
    loaded.set(name, module);
  }
  return module as ReturnType<(typeof loaders)[K]>;
}

/** Starts loading every screen once the first one is on screen and the page is idle. */
export function preloadScreens(): void {
  const start = () => (Object.keys(loaders) as LazyScreen[]).forEach((name) => void screen(name).catch(() => {}));
  if ('requestIdleCallback' in window) window.requestIdleCallback(start, { timeout: 2000 });
  else setTimeout(start, 300);
}
