import { mount } from 'svelte';
import App from './App.svelte';
import Embed from './Embed.svelte';
import './global.css';

// `?embed=agentic-efficiency` renders one compact widget for another page's iframe.
const target = document.getElementById('app')!;
const embed = new URL(location.href).searchParams.get('embed');
if (embed) mount(Embed, { target, props: { widget: embed } });
else mount(App, { target });
