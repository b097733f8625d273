import { mount } from 'svelte';
import './theme.css';
import App from './App.svelte';
import { ready } from './lib/api';

const target = document.getElementById('app');
if (!target) throw new Error('the page has no #app element');

await ready;
export default mount(App, { target });
