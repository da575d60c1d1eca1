import { render } from 'preact';

import { App } from './app.js';
import { installNavigation } from './lib/navigation.js';
import { restoreSession } from './lib/session.js';
import './styles/base.css';
import './styles/layout.css';
import './styles/components.css';

installNavigation();
void restoreSession();
render(<App />, document.getElementById('app')!);
