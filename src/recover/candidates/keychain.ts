/**
 * Passwords this computer may have saved for the backup.
 *  - macOS: Finder/iTunes can keep the backup password in the login keychain as a generic password
 *    whose service is "iOS Backup" (or "iPhone Backup" on older systems) and whose account is the
 *    device's UDID. Reading it makes macOS show its own permission dialog.
 *  - Windows: backup tools (iMazing notably, APPLE-FACTS.md) keep it in Credential Manager as a
 *    generic credential. Their target names are not documented, so every generic credential of the
 *    user is listed (CredEnumerateW through PowerShell, no native dependency) and those whose target
 *    or user name holds the device's UDID or names a backup tool ("iOS Backup", "iPhone Backup",
 *    "iMazing", "iTunes", "Apple Devices") are kept.
 * The CLI asks the user before either. Other systems: nothing is read, and the note says why.
 * Passwords only ever travel on the child's stdout, never in its arguments.
 */
import { execFile } from 'node:child_process';
import { childEnv } from '../../child-env.js';

const KEYCHAIN_SERVICES = ['iOS Backup', 'iPhone Backup'];
/** Credential Manager targets that name a backup tool (matched case-insensitively, anywhere in the name). */
const WINDOWS_CREDENTIAL_MARKERS = ['ios backup', 'iphone backup', 'ipad backup', 'imazing', 'itunes', 'apple devices', 'mobilesync'];

export interface KeychainResult {
  passwords: string[];
  /** for the user: what was looked at, or why nothing was */
  note: string;
}

export type RunCommand = (cmd: string, args: string[]) => Promise<{ code: number; stdout: string }>;

const runChild: RunCommand = (cmd, args) =>
  new Promise((resolve) => {
    execFile(cmd, args, { timeout: 120_000, maxBuffer: 1 << 22, windowsHide: true, env: childEnv() }, (err, stdout) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1) : 0;
      resolve({ code, stdout: String(stdout) });
    });
  });

/** Where this platform may keep a saved backup password, for prompts ("your macOS keychain"). */
export function savedPasswordStore(platform: NodeJS.Platform = process.platform): string | undefined {
  if (platform === 'darwin') return 'your macOS keychain';
  if (platform === 'win32') return 'Windows Credential Manager';
  return undefined;
}

export async function readKeychainPasswords(udid: string | undefined, opts: { platform?: NodeJS.Platform; run?: RunCommand } = {}): Promise<KeychainResult> {
  const platform = opts.platform ?? process.platform;
  const run = opts.run ?? runChild;
  if (platform === 'win32') return readWindowsCredentials(udid, run);
  if (platform !== 'darwin') return { passwords: [], note: 'saved passwords: skipped (only macOS and Windows keep backup passwords this tool can read)' };
  if (!udid) return { passwords: [], note: 'saved passwords: skipped (a hash line carries no device UDID to look up)' };
  const found: string[] = [];
  for (const service of KEYCHAIN_SERVICES) {
    const { code, stdout } = await run('security', ['find-generic-password', '-s', service, '-a', udid, '-w']);
    if (code === 0) {
      const pw = stdout.replace(/\r?\n$/, '');
      if (pw) found.push(pw);
    }
  }
  return {
    passwords: found,
    note: found.length ? `saved passwords: ${found.length} found in the keychain for this device` : `saved passwords: none in the keychain for device ${udid}`,
  };
}

/**
 * PowerShell that prints the user's generic credentials as JSON lines {t: target, u: user,
 * b: base64 blob}. Add-Type compiles a P/Invoke of CredEnumerateW; nothing is written anywhere.
 */
export const WINDOWS_CREDENTIAL_SCRIPT = `
$ErrorActionPreference = 'Stop'
Add-Type -TypeDefinition @'
using System;
using System.Runtime.InteropServices;
public static class IrescueCred {
  [StructLayout(LayoutKind.Sequential, CharSet = CharSet.Unicode)]
  public struct CREDENTIAL {
    public int Flags; public int Type; public string TargetName; public string Comment;
    public System.Runtime.InteropServices.ComTypes.FILETIME LastWritten; public int CredentialBlobSize; public IntPtr CredentialBlob;
    public int Persist; public int AttributeCount; public IntPtr Attributes;
    public string TargetAlias; public string UserName;
  }
  [DllImport("advapi32.dll", CharSet = CharSet.Unicode, SetLastError = true)]
  public static extern bool CredEnumerateW(string filter, int flags, out int count, out IntPtr creds);
  [DllImport("advapi32.dll")] public static extern void CredFree(IntPtr buffer);
  public static string[] Dump() {
    var lines = new System.Collections.Generic.List<string>();
    int count; IntPtr list;
    if (!CredEnumerateW(null, 0, out count, out list)) return lines.ToArray();
    try {
      for (int i = 0; i < count; i++) {
        IntPtr p = Marshal.ReadIntPtr(list, i * IntPtr.Size);
        CREDENTIAL c = (CREDENTIAL)Marshal.PtrToStructure(p, typeof(CREDENTIAL));
        if (c.Type != 1) continue;
        byte[] blob = new byte[c.CredentialBlobSize];
        if (c.CredentialBlobSize > 0) Marshal.Copy(c.CredentialBlob, blob, 0, c.CredentialBlobSize);
        lines.Add("{\\"t\\":\\"" + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(c.TargetName ?? "")) +
          "\\",\\"u\\":\\"" + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(c.UserName ?? "")) +
          "\\",\\"b\\":\\"" + Convert.ToBase64String(blob) + "\\"}");
      }
    } finally { CredFree(list); }
    return lines.ToArray();
  }
}
'@
[IrescueCred]::Dump() | ForEach-Object { [Console]::Out.WriteLine($_) }
`;

/** The arguments that run a script in Windows PowerShell without quoting trouble (-EncodedCommand is UTF-16LE base64). */
function powershellArgs(script: string): string[] {
  return ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-EncodedCommand', Buffer.from(script, 'utf16le').toString('base64')];
}

/**
 * A credential blob as text: Windows programs store UTF-16LE (CredWrite from .NET and the Win32
 * UI) or UTF-8 (cross-platform keyring libraries), and the blob does not say which, so both
 * readings that are plausible text are returned.
 */
export function credentialBlobTexts(blob: Buffer): string[] {
  const out = new Set<string>();
  const printable = (s: string) => s.length > 0 && !/[\u0000-\u001f\u007f\ufffd]/.test(s);
  if (blob.length % 2 === 0) {
    const w = blob.toString('utf16le');
    if (printable(w)) out.add(w);
  }
  const u = blob.toString('utf8');
  if (printable(u)) out.add(u);
  return [...out];
}

interface CredentialLine {
  target: string;
  user: string;
  blob: Buffer;
}

/** JSON lines of WINDOWS_CREDENTIAL_SCRIPT; anything else on stdout is ignored. */
function parseCredentialLines(stdout: string): CredentialLine[] {
  const out: CredentialLine[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    if (!line.startsWith('{')) continue;
    try {
      const j = JSON.parse(line) as { t?: unknown; u?: unknown; b?: unknown };
      if (typeof j.t !== 'string' || typeof j.u !== 'string' || typeof j.b !== 'string') continue;
      out.push({ target: Buffer.from(j.t, 'base64').toString('utf8'), user: Buffer.from(j.u, 'base64').toString('utf8'), blob: Buffer.from(j.b, 'base64') });
    } catch {
      // a stray line is not a credential
    }
  }
  return out;
}

async function readWindowsCredentials(udid: string | undefined, run: RunCommand): Promise<KeychainResult> {
  const { code, stdout } = await run('powershell.exe', powershellArgs(WINDOWS_CREDENTIAL_SCRIPT));
  if (code !== 0) return { passwords: [], note: `saved passwords: Windows Credential Manager could not be read (PowerShell exited with ${code})` };
  const id = udid?.toLowerCase();
  const found: string[] = [];
  for (const c of parseCredentialLines(stdout)) {
    const names = `${c.target}\n${c.user}`.toLowerCase();
    const forDevice = id !== undefined && id.length > 0 && names.includes(id);
    if (!forDevice && !WINDOWS_CREDENTIAL_MARKERS.some((m) => names.includes(m))) continue;
    for (const text of credentialBlobTexts(c.blob)) if (!found.includes(text)) found.push(text);
  }
  return {
    passwords: found,
    note: found.length
      ? `saved passwords: ${found.length} candidate${found.length === 1 ? '' : 's'} from Windows Credential Manager entries of backup tools`
      : 'saved passwords: none in Windows Credential Manager that a backup tool left',
  };
}
