import { mount } from 'svelte';
import './theme.css';
import App from './App.svelte';
import { ready } from './lib/api';

const target = document.getElementById('app');
if (!target) throw new Error('the page has no #app element');

await ready;
const app = mount(App, { target });
// For scripts/bench-desktop.sh: when the first screen was on the page, in the page's own clock.
performance.mark('assay-mounted');
export default app;
