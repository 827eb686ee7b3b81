/**
 * The environment every child process runs with (hashcat, idevicerestore, the desktop opener, the
 * macOS `security` tool, PowerShell, a pager): ours without the backup passwords. IRESCUE_PASSWORD
 * and IRESCUE_NEW_PASSWORD are read by this process only; a child that inherited them would hand the
 * password to everything it starts in turn (a browser, a shell) and to anyone who can read its
 * environment. One place, so that no spawn can forget it (test/child-env.test.ts checks every call).
 */
const SECRET = /^IRESCUE_(NEW_)?PASSWORD$/;

export function childEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(env)) if (!SECRET.test(k)) out[k] = v;
  return out;
}
