import { render } from 'preact';

import { App } from './app.js';
import { installNavigation } from './lib/navigation.js';
import { restoreSession } from './lib/session.js';
import './styles/base.css';
import './styles/layout.css';
import './styles/components.css';

installNavigation();
void restoreSession();
const root = document.getElementById('app')!;
root.replaceChildren(); // the "Loading…" placeholder: Preact renders next to existing nodes, not over them
render(<App />, root);
