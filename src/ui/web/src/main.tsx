import { render } from 'preact';
import { startAccess } from './api.js';
import { App } from './app.js';
import { NoAccessPage } from './pages/no-access.js';
import './styles.css';

// The address token is traded (and dropped from the address) before the first request.
void startAccess().then((refused) => {
  render(refused ? <NoAccessPage error={refused} /> : <App />, document.getElementById('app')!);
});
