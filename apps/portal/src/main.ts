/**
 * The portal's start: a login box for an API key (kept in sessionStorage: this tab only), then
 * the view the key may use. A renter's key answers RentalService; an admin's is refused there
 * (PERMISSION_DENIED) and answers AdminService.
 */
import { startAdmin } from './admin.js';
import { byId, say } from './dom.js';
import { startRenter } from './renter.js';
import { ADMIN, RENTAL, RpcError, client, type Call } from './rpc.js';

const STORAGE_KEY = 'gantry.portal.apiKey';
type Role = 'renter' | 'admin';

let stop: (() => void) | undefined;

/** Which view the key opens; throws what the server said when neither. */
async function roleOf(call: Call): Promise<Role> {
  try {
    await call(`${RENTAL}/GetUsage`);
    return 'renter';
  } catch (error) {
    if (!(error instanceof RpcError && error.code === 'PERMISSION_DENIED')) throw error;
  }
  await call(`${ADMIN}/ListNodes`);
  return 'admin';
}

function show(role: Role | undefined): void {
  byId('login').hidden = role !== undefined;
  byId('renter').hidden = role !== 'renter';
  byId('admin').hidden = role !== 'admin';
  byId('logout').hidden = role === undefined;
  byId('who').textContent = role === undefined ? '' : `signed in as ${role}`;
  document.body.dataset['role'] = role ?? '';
}

function logout(message = ''): void {
  stop?.();
  stop = undefined;
  sessionStorage.removeItem(STORAGE_KEY);
  byId<HTMLInputElement>('api-key').value = '';
  show(undefined);
  say(byId('login-error'), message);
}

async function login(apiKey: string): Promise<void> {
  const call = client(apiKey);
  const role = await roleOf(call);
  sessionStorage.setItem(STORAGE_KEY, apiKey);
  say(byId('login-error'), '');
  show(role);
  const errors = byId(role === 'renter' ? 'lease-error' : 'admin-error');
  const onError = (error: unknown) => {
    if (error instanceof RpcError && error.code === 'UNAUTHENTICATED') logout(error.message);
    else say(errors, error instanceof RpcError ? `${error.code}: ${error.message}` : String(error));
  };
  stop = role === 'renter' ? startRenter(call, onError) : startAdmin(call, onError);
}

function failedLogin(error: unknown): void {
  logout(error instanceof RpcError ? `${error.code}: ${error.message}` : String(error));
}

byId<HTMLFormElement>('login-form').addEventListener('submit', (event) => {
  event.preventDefault();
  login(byId<HTMLInputElement>('api-key').value.trim()).catch(failedLogin);
});
byId('logout').addEventListener('click', () => logout());

const saved = sessionStorage.getItem(STORAGE_KEY);
if (saved) login(saved).catch(failedLogin);
else show(undefined);
